import { checkQuery as parseCheck } from '../../shared/query/parse.ts';

/** A problem in filter-bar text, with the span it concerns (UTF-16 offsets into the text). */
export interface QueryProblem {
  message: string;
  start: number;
  end: number;
}

/**
 * Checks filter-bar text as the analyst types, with the same parser the engine runs, so an error
 * is shown in place before anything is sent.
 */
export function checkQuery(text: string): QueryProblem | null {
  const check = parseCheck(text);
  return check.ok ? null : check.error;
}
