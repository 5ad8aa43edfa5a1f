import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A wrong command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** Parses `--from`/`--to`: ISO 8601 (UTC unless it says otherwise) or epoch milliseconds. */
export function parseTime(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^\d{10,}$/.test(text)) return Number(text);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: "${text}" is not a time (use ISO 8601 such as 2026-11-28T08:00:00Z, or epoch ms)`);
  return ms;
}

export function parsePositiveInt(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag}: "${text}" is not a positive whole number`);
  return n;
}
