import { isoUtc } from '../shared/time.ts';

export function formatTime(ts: number | null): string {
  return ts === null ? '—' : isoUtc(ts).replace('T', ' ');
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
