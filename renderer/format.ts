import { isoUtc } from '../shared/time.ts';

/** UTC, as `2026-03-01 14:02:07Z`; milliseconds only where the log gave them (`…07.250Z`). */
export function formatTime(ts: number | null): string {
  return ts === null ? '—' : isoUtc(ts).replace('T', ' ').replace('.000Z', 'Z');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatConfidence(confidence: number | null, forced: boolean): string {
  if (forced) return 'forced';
  return confidence === null ? 'not detected' : `${Math.round(confidence * 100)} %`;
}

export type TextPart = { kind: 'text'; text: string } | { kind: 'control'; text: string };

/**
 * Splits log text so control characters (ANSI escapes above all) can be shown as visible `\xNN`
 * marks instead of being passed on invisibly. Tab stays as it is.
 */
export function splitControls(text: string): TextPart[] {
  const parts: TextPart[] = [];
  // eslint-disable-next-line no-control-regex
  const re = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
  let last = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m.index > last) parts.push({ kind: 'text', text: text.slice(last, m.index) });
    parts.push({ kind: 'control', text: `\\x${m[0].charCodeAt(0).toString(16).padStart(2, '0')}` });
    last = m.index + 1;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** Bytes in decimal units, as file managers show them: 1.4 MB. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${BYTE_UNITS[unit]}`;
}

/** A duration for an ETA: 45 s, 3 min 05 s, 2 h 10 min. */
export function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** The last part of a path, for either separator. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).filter((p) => p !== '').at(-1) ?? path;
}
