/** Sigma rule levels (of alerts), least severe first, with the colour each is drawn in on charts and badges. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_COLOR: Record<Level, string> = {
  informational: '#64748b',
  low: '#0ea5e9',
  medium: '#eab308',
  high: '#f97316',
  critical: '#dc2626',
};

/** Event levels (shared/query/level.ts), which the timeline can stack by. */
const EVENT_LEVEL_COLOR: Record<string, string> = {
  error: '#dc2626',
  failure: '#f97316',
  warning: '#eab308',
  info: '#60a5fa',
  unparsed: '#94a3b8',
};

/** Colours for stacks that are not levels (datasets), in the order the engine ranks them. */
const PALETTE = ['#2563eb', '#16a34a', '#9333ea', '#0891b2', '#ca8a04', '#db2777', '#4f46e5', '#65a30d', '#0d9488', '#c2410c'];
const QUIET = '#94a3b8';

export function seriesColor(name: string, index: number, stackBy: 'dataset' | 'level'): string {
  if (stackBy === 'level') return EVENT_LEVEL_COLOR[name] ?? QUIET;
  return PALETTE[index % PALETTE.length] ?? QUIET;
}
