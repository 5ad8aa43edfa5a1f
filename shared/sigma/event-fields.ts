/** How the matcher reads an event's fields. */
import type { StoredEvent } from '../event.ts';
import type { FieldRef } from './fields.ts';

/** An event as the matcher sees it: a stored event, possibly with only the columns rules read. */
export type MatchEvent = Pick<StoredEvent, 'id' | 'ts' | 'dataset'> & Partial<Omit<StoredEvent, 'id' | 'ts' | 'dataset'>>;

/** The field's value: undefined when the event does not have it. */
export function fieldValue(e: MatchEvent, ref: FieldRef): unknown {
  let v: unknown = ref.column === undefined ? undefined : e[ref.column];
  // Object.hasOwn: `extra` is parsed JSON, and a rule field named `constructor` must not find a function.
  if ((v === undefined || v === null) && ref.extra !== undefined && e.extra !== undefined && Object.hasOwn(e.extra, ref.extra)) {
    v = e.extra[ref.extra];
  }
  if (v === null) return undefined;
  if (ref.part !== undefined && typeof v === 'string') {
    const q = v.indexOf('?');
    if (ref.part === 'path') return q < 0 ? v : v.slice(0, q);
    return q < 0 ? undefined : v.slice(q + 1);
  }
  return v;
}

/** A value as the texts rules compare against: lists give one text per element. */
export function valueTexts(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(valueTexts);
  return [JSON.stringify(v)];
}

/** A number from a number or a decimal text; undefined otherwise (`0x10` and `1e3` are not numbers here). */
export function numeric(text: string): number | undefined {
  return /^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : undefined;
}
