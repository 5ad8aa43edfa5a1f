import type { LogFormat, ParseContext } from './types.ts';

/** Share of the non-blank sample lines that `format` parses, 0..1: the default detector. */
export function matchRatio(format: LogFormat, sample: readonly string[], ctx: ParseContext): number {
  const parser = format.create(ctx);
  let tried = 0;
  let parsed = 0;
  for (const line of sample) {
    if (line.trim() === '') continue;
    tried++;
    if (parser.parse(line) !== null) parsed++;
  }
  return tried === 0 ? 0 : parsed / tried;
}

export interface Detection {
  format: LogFormat;
  confidence: number;
  /** Every format's score, best first, so the caller can show the alternatives. */
  candidates: { id: string; confidence: number }[];
}

/**
 * Picks the format that fits the sample best. Returns null when nothing fits at all; the caller
 * then keeps every line as unparsed.
 */
export function detectFormat(formats: readonly LogFormat[], sample: readonly string[], ctx: ParseContext): Detection | null {
  const scored = formats.map((format, order) => ({ format, order, confidence: safeDetect(format, sample, ctx) }));
  scored.sort((a, b) => b.confidence - a.confidence || a.order - b.order);
  const best = scored[0];
  if (!best || best.confidence <= 0) return null;
  return {
    format: best.format,
    confidence: Math.round(best.confidence * 1000) / 1000,
    candidates: scored.map((s) => ({ id: s.format.id, confidence: Math.round(s.confidence * 1000) / 1000 })),
  };
}

function safeDetect(format: LogFormat, sample: readonly string[], ctx: ParseContext): number {
  try {
    const score = format.detect(sample, ctx);
    return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  } catch {
    // A detector that throws on odd input simply does not claim the file.
    return 0;
  }
}
