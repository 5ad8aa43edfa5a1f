/** Sigma rule levels, least severe first, with the colour each is drawn in on every chart and badge. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_COLOR: Record<Level, string> = {
  informational: '#64748b',
  low: '#0ea5e9',
  medium: '#eab308',
  high: '#f97316',
  critical: '#dc2626',
};

/** Colours for stacks that are not levels (datasets), in the order the engine ranks them. */
const PALETTE = ['#2563eb', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#0d9488', '#c2410c'];
/** The stack of events no alert covers, when stacking by level. */
const QUIET = '#94a3b8';

export function seriesColor(name: string, index: number, stackBy: 'dataset' | 'level'): string {
  if (stackBy === 'level') return isLevel(name) ? LEVEL_COLOR[name] : QUIET;
  return PALETTE[index % PALETTE.length] ?? QUIET;
}

export function isLevel(name: string): name is Level {
  return (LEVELS as readonly string[]).includes(name);
}
