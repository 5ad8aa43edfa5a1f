/**
 * Reads an alert's `why` (the contract types it as unknown: it is JSON stored in the case, written
 * by electron/detect/alert-build.ts) into a shape the view can render, without trusting it.
 */

export interface FieldMatch { field: string | null; values: string[] }
export interface SelectionWhy { selections: string[]; matches: FieldMatch[] }

export type Why =
  | ({ kind: 'detection'; condition: string } & SelectionWhy)
  | {
    kind: 'correlation';
    type: string;
    timespan: string;
    /** e.g. ['≥', 10]; several bounds all hold. */
    bounds: { op: string; value: number }[];
    /** value_count: the field whose distinct values are counted. */
    field: string | null;
    groupBy: { field: string; value: string }[];
    count: number;
    values: string[];
    rules: ({ id: string; title: string } & SelectionWhy)[];
  }
  | { kind: 'unknown'; text: string };

const OPS: Record<string, string> = { gt: '>', gte: '≥', lt: '<', lte: '≤', eq: '=', neq: '≠' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

function selectionWhy(v: Record<string, unknown>): SelectionWhy {
  const matches = Array.isArray(v['matches'])
    ? v['matches'].filter(isRecord).map((m) => ({ field: typeof m['field'] === 'string' ? m['field'] : null, values: strings(m['values']) }))
    : [];
  return { selections: strings(v['selections']), matches };
}

export function parseWhy(why: unknown): Why {
  if (!isRecord(why)) return { kind: 'unknown', text: str(why) };
  if (why['kind'] === 'detection') return { kind: 'detection', condition: str(why['condition']), ...selectionWhy(why) };
  if (why['kind'] === 'correlation') {
    const condition = isRecord(why['condition']) ? why['condition'] : {};
    const bounds = Object.entries(condition)
      .filter((e): e is [string, number] => Object.hasOwn(OPS, e[0]) && typeof e[1] === 'number')
      .map(([op, value]) => ({ op: OPS[op] ?? op, value }));
    const groupBy = isRecord(why['groupBy']) ? Object.entries(why['groupBy']).map(([field, value]) => ({ field, value: str(value) })) : [];
    return {
      kind: 'correlation',
      type: str(why['type']),
      timespan: str(why['timespan']),
      bounds,
      field: typeof condition['field'] === 'string' ? condition['field'] : null,
      groupBy,
      count: typeof why['count'] === 'number' ? why['count'] : 0,
      values: strings(why['values']),
      rules: Array.isArray(why['rules'])
        ? why['rules'].filter(isRecord).map((r) => ({ id: str(r['id']), title: str(r['title']), ...selectionWhy(r) }))
        : [],
    };
  }
  return { kind: 'unknown', text: JSON.stringify(why, null, 2) };
}

const WHAT_IS_COUNTED: Record<string, string> = {
  event_count: 'matching events',
  value_count: 'distinct values',
  temporal: 'rules that matched',
  temporal_ordered: 'rules that matched in order',
};

/** "≥ 10 matching events within 10m" */
export function thresholdText(why: Extract<Why, { kind: 'correlation' }>): string {
  const counted = why.type === 'value_count' && why.field !== null
    ? `distinct ${why.field} values`
    : WHAT_IS_COUNTED[why.type] ?? why.type;
  const bounds = why.bounds.map((b) => `${b.op} ${b.value}`).join(' and ');
  const within = why.timespan === 'whole case' ? 'over the whole case' : `within ${why.timespan}`;
  return `${bounds === '' ? '' : `${bounds} `}${counted} ${within}`;
}
