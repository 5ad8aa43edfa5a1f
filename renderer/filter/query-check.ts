/** A problem in filter-bar text, with the span it concerns (UTF-16 offsets into the text). */
export interface QueryProblem {
  message: string;
  start: number;
  end: number;
}

/**
 * Checks filter-bar text as the analyst types, before anything is sent to the engine.
 * TODO(query): use shared/query's parser once it lands; until then the engine's answer is the check.
 */
export function checkQuery(_text: string): QueryProblem | null {
  return null;
}
