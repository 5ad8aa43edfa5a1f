/**
 * Builds filter-bar text from values taken out of logs, so "filter to this value" and "show these
 * events" produce a query that means exactly that value, whatever characters it holds.
 */
import type { EntityType } from '../app/app-state.tsx';

/** Values that need no quotes: no spaces, quotes, parentheses or comparison signs. */
const BARE = /^[\w.:/@-]+$/;
const KEYWORDS = new Set(['and', 'or', 'not']);

export function quoteValue(value: string): string {
  if (BARE.test(value) && !KEYWORDS.has(value.toLowerCase())) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export function fieldClause(field: string, value: string): string {
  return `${field}:${quoteValue(value)}`;
}

export const ENTITY_FIELD: Record<EntityType, string> = { ip: 'ip', user: 'user', host: 'host' };

export function entityClause(type: EntityType, value: string): string {
  return fieldClause(ENTITY_FIELD[type], value);
}

/** `query` narrowed by `clause`; an empty query becomes the clause alone. */
export function andClause(query: string, clause: string): string {
  const q = query.trim();
  if (q === '') return clause;
  return `${BARE.test(q) ? q : `(${q})`} and ${clause}`;
}
