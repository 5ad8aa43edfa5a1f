import type { AlertDto } from '../../shared/ipc/contract.ts';

export type GroupBy = 'rule' | 'level' | 'entity';
export type Level = AlertDto['rule']['level'];

/** Most severe first. */
export const LEVELS: readonly Level[] = ['critical', 'high', 'medium', 'low', 'informational'];
const rank = (level: Level): number => LEVELS.indexOf(level);

export interface AlertGroup {
  key: string;
  by: GroupBy;
  /** What the group is: a rule title, a level, an entity value. */
  label: string;
  /** The most severe level in the group. */
  level: Level;
  alerts: AlertDto[];
  /** Alerts not yet triaged. */
  open: number;
  /** Events behind the group's alerts. */
  events: number;
}

function keyOf(a: AlertDto, by: GroupBy): { key: string; label: string } {
  switch (by) {
    case 'rule': return { key: `rule:${a.rule.id}`, label: a.rule.title };
    case 'level': return { key: `level:${a.rule.level}`, label: a.rule.level };
    case 'entity': return a.entity.type === 'none'
      ? { key: 'entity:none', label: 'no entity' }
      : { key: `entity:${a.entity.type}:${a.entity.value}`, label: a.entity.value };
    default: return by satisfies never;
  }
}

/** Alerts sorted within a group: most severe, then most events, then earliest. */
export function compareAlerts(a: AlertDto, b: AlertDto): number {
  return rank(a.rule.level) - rank(b.rule.level) || b.count - a.count || (a.first ?? 0) - (b.first ?? 0) || a.id - b.id;
}

/** Groups alerts for the list: most severe groups first, then the biggest. */
export function groupAlerts(alerts: readonly AlertDto[], by: GroupBy): AlertGroup[] {
  const groups = new Map<string, AlertGroup>();
  for (const a of alerts) {
    const { key, label } = keyOf(a, by);
    let g = groups.get(key);
    if (!g) {
      g = { key, by, label, level: a.rule.level, alerts: [], open: 0, events: 0 };
      groups.set(key, g);
    }
    g.alerts.push(a);
    if (rank(a.rule.level) < rank(g.level)) g.level = a.rule.level;
    if (a.status === 'open') g.open++;
    g.events += a.count;
  }
  const list = [...groups.values()];
  for (const g of list) g.alerts.sort(compareAlerts);
  return list.sort((a, b) => rank(a.level) - rank(b.level) || b.alerts.length - a.alerts.length || b.events - a.events || a.label.localeCompare(b.label));
}

/** ATT&CK tags in readable form: `attack.t1110.001` → `T1110.001`, `attack.credential_access` → `Credential Access`. */
export function attackTag(tag: string): { kind: 'technique' | 'tactic' | 'other'; text: string } {
  const m = /^attack\.(.+)$/i.exec(tag);
  if (!m?.[1]) return { kind: 'other', text: tag };
  const rest = m[1];
  if (/^[tg]\d{4}(\.\d{3})?$/i.test(rest) || /^s\d{4}$/i.test(rest)) return { kind: 'technique', text: rest.toUpperCase() };
  return { kind: 'tactic', text: rest.split(/[_-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ') };
}
