import type { ParsedEvent } from '../../event.ts';
import { splitCsvLine, guessDelimiter, isPlausibleHeader } from '../csv-line.ts';
import { mapFields, toParsedEvent } from '../field-aliases.ts';
import type { LineParser, LogFormat } from '../types.ts';

/**
 * CSV with a header line: comma, semicolon or tab, whichever the header uses most. The header
 * becomes a `csv.header` event (no time); each row maps its columns by name through the shared
 * alias table (`field-aliases.ts`), other non-empty cells go to `extra` under their column names,
 * cells past the header's width as `column_<n>`. Empty cells are left out. A row whose quoted cell
 * spans lines cannot be read line by line and stays unparsed.
 */
export const format: LogFormat = {
  id: 'csv',
  title: 'CSV with header',
  description: 'CSV with a header line (comma, semicolon or tab)',
  detect: (sample) => detectCsv(sample),
  create: (ctx) => {
    let header: { line: string; delimiter: string; columns: string[] } | undefined;
    return {
      parse(input: string): ParsedEvent | null {
        const line = input.endsWith('\r') ? input.slice(0, -1) : input;
        if (line.trim() === '') return null;
        if (!header || line === header.line) {
          const text = line.replace(/^\uFEFF/, '');
          const delimiter = guessDelimiter(text);
          const cells = splitCsvLine(text, delimiter);
          if (!cells) return null;
          header = { line, delimiter, columns: columnNames(cells) };
          return { ts: null, dataset: 'csv.header', extra: { columns: header.columns } };
        }
        const cells = splitCsvLine(line, header.delimiter);
        if (!cells) return null;
        const entries: [string, string][] = [];
        cells.forEach((cell, i) => {
          if (cell !== '') entries.push([header?.columns[i] ?? `column_${i + 1}`, cell]);
        });
        return toParsedEvent(mapFields(entries, ctx, 'csv', { datasetFromRecord: false }));
      },
    } satisfies LineParser;
  },
};

/** Names for the header cells: trimmed, blanks as `column_<n>`, repeats suffixed `_2`, `_3`. */
function columnNames(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((cell, i) => {
    const name = cell.trim() || `column_${i + 1}`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return count === 1 ? name : `${name}_${count}`;
  });
}

/**
 * The share of sample rows with as many cells as a plausible header, which must be the first
 * non-blank line. Without that header the file is not claimed at all.
 */
function detectCsv(sample: readonly string[]): number {
  const lines = sample.filter((l) => l.trim() !== '');
  const first = lines[0]?.replace(/^\uFEFF/, '');
  if (first === undefined || first.startsWith('#')) return 0;
  const delimiter = guessDelimiter(first);
  const header = splitCsvLine(first, delimiter);
  if (!header || !isPlausibleHeader(header)) return 0;
  const rows = lines.slice(1);
  if (rows.length === 0) return 0.5;
  const consistent = rows.filter((row) => row === first || splitCsvLine(row, delimiter)?.length === header.length).length;
  return consistent / rows.length;
}
