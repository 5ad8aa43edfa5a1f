/**
 * Builds filter-bar text from values taken out of logs, so "filter to this value" and "show these
 * events" produce a query that means exactly that value, whatever characters it holds.
 */
import { checkQuery } from '../../shared/query/parse.ts';
import type { z } from 'zod';
import type { entityTypeSchema } from '../../shared/ipc/schemas.ts';

type EntityType = z.output<typeof entityTypeSchema>;

/** Values that need no quotes: letters, digits and a few signs that never end a term or start a field. */
const BARE = /^[\w.@-]+$/;
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
  // AND binds tighter than OR: only a top-level OR (or text that does not parse) needs parentheses.
  const check = checkQuery(q);
  const bare = check.ok && check.ast !== null && check.ast.kind !== 'or';
  return `${bare ? q : `(${q})`} and ${clause}`;
}
