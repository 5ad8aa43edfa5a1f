/** Splitting one CSV line (RFC 4180 quoting, https://www.rfc-editor.org/rfc/rfc4180). */

export const DELIMITERS = [',', '\t', ';'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * The cells of `line`, or null when a quoted cell is not closed on this line (a cell with a line
 * break, which a line-by-line reader cannot join, or its tail). `""` inside quotes is a quote;
 * paired quotes inside an unquoted cell are kept as text; spaces before an opening quote are ignored.
 */
export function splitCsvLine(line: string, delimiter: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let j = i;
    while (line[j] === ' ') j++;
    let cell = '';
    if (line[j] === '"') {
      j++;
      for (;;) {
        const q = line.indexOf('"', j);
        if (q < 0) return null;
        cell += line.slice(j, q);
        if (line[q + 1] === '"') {
          cell += '"';
          j = q + 2;
          continue;
        }
        j = q + 1;
        break;
      }
      // Text between the closing quote and the delimiter is not RFC 4180; keep it rather than lose it.
      const end = line.indexOf(delimiter, j);
      cell += line.slice(j, end < 0 ? line.length : end).trimEnd();
      cells.push(cell);
      if (end < 0) return cells;
      i = end + delimiter.length;
    } else {
      const end = line.indexOf(delimiter, i);
      const cell = line.slice(i, end < 0 ? line.length : end);
      // An odd number of quotes in a bare cell is the tail of a quoted cell that began on an earlier line.
      if ((cell.match(/"/g)?.length ?? 0) % 2 === 1) return null;
      cells.push(cell);
      if (end < 0) return cells;
      i = end + delimiter.length;
    }
  }
}

/** The delimiter used most often outside quotes in a header line (comma on a tie or none). */
export function guessDelimiter(header: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of header) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

const NAME = /^[\p{L}\p{N}_ .()/@#%&+-]{1,64}$/u;
const NUMBER = /^[-+]?\d+(?:[.,]\d+)?$/;

/**
 * True when `cells` look like column names: at least two, each a short name (letters, digits,
 * a few punctuation marks, up to three spaces), none a number, no two alike. Log lines that
 * merely contain commas (syslog, Apache, JSON) fail this.
 */
export function isPlausibleHeader(cells: readonly string[]): boolean {
  if (cells.length < 2) return false;
  const seen = new Set<string>();
  for (const cell of cells) {
    const name = cell.trim();
    if (!NAME.test(name) || NUMBER.test(name) || (name.match(/ /g)?.length ?? 0) > 3) return false;
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}
