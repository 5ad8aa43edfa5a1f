/**
 * The level of an event: one word for how bad it looks, comparable across formats, so that the
 * timeline can stack by it and the filter bar can ask for it (`level:error`). Derived from what
 * the parsers record; a format that records nothing of the kind gives `info`.
 */
import type { ParsedEvent } from '../event.ts';
import { UNPARSED } from '../event.ts';

export const LEVELS = ['error', 'failure', 'warning', 'info', 'unparsed'] as const;
export type EventLevel = (typeof LEVELS)[number];

/**
 * Raised when the definition below changes: a case whose counts were made with another version
 * has them rebuilt when it is opened.
 */
export const LEVELS_VERSION = 1;

export const LEVEL_DESCRIPTIONS: Record<EventLevel, string> = {
  error: 'HTTP 5xx; syslog severity emerg, alert, crit or err; error-log level error or worse',
  failure: 'HTTP 4xx; outcome failure (failed logins, refused sudo, …)',
  warning: 'syslog severity warning; error-log level warn',
  info: 'everything else that was parsed',
  unparsed: 'lines no parser understood',
};

/** Severity words (syslog's, error logs', JSON logs') that make an event an error or a warning. */
export const ERROR_WORDS = ['emerg', 'emergency', 'alert', 'crit', 'critical', 'err', 'error', 'fatal'] as const;
export const WARNING_WORDS = ['warning', 'warn'] as const;

const errorWords: ReadonlySet<string> = new Set(ERROR_WORDS);
const warningWords: ReadonlySet<string> = new Set(WARNING_WORDS);

/** The level of an event as stored (`extra` the object, `httpStatus` an integer). */
export function eventLevel(e: Pick<ParsedEvent, 'dataset' | 'httpStatus' | 'outcome' | 'extra'>): EventLevel {
  if (e.dataset === UNPARSED) return 'unparsed';
  // As stored: the column keeps finite numbers only.
  const status = e.httpStatus !== undefined && Number.isFinite(e.httpStatus) ? e.httpStatus : undefined;
  if (status !== undefined && status >= 500) return 'error';
  if ((status !== undefined && status >= 400) || e.outcome === 'failure') return 'failure';
  const extra = e.extra;
  if (extra === undefined) return 'info';
  const word = severityWord(extra['severity']) ?? severityWord(extra['level']);
  if (word === undefined) return 'info';
  if (errorWords.has(word)) return 'error';
  return warningWords.has(word) ? 'warning' : 'info';
}

function severityWord(v: unknown): string | undefined {
  return typeof v === 'string' ? v.toLowerCase() : undefined;
}

export function isLevel(s: string): s is EventLevel {
  return (LEVELS as readonly string[]).includes(s);
}
