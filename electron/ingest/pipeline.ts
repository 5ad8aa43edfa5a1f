import type { ParsedEvent } from '../../shared/event.ts';
import { UNPARSED } from '../../shared/event.ts';
import { detectFormat } from '../../shared/parse/detect.ts';
import { FORMATS } from '../../shared/parse/registry.ts';
import type { LineParser, LogFormat, ParseContext } from '../../shared/parse/types.ts';
import { readFileStream, type ReadResult } from './file-reader.ts';
import { type Line, LineSplitter } from './line-splitter.ts';

/** Lines looked at to choose a format, and the most text they may hold. */
export const SAMPLE_LINES = 200;
export const SAMPLE_CHARS = 1 << 20;

export interface Detected {
  formatId: string;
  confidence: number | null;
  forced: boolean;
  candidates: { id: string; confidence: number }[];
}

export interface LineCounts {
  total: number;
  parsed: number;
  unparsed: number;
  truncated: number;
  invalidUtf8: number;
}

export interface PipelineOptions {
  /** Use this format instead of detecting one. */
  format?: LogFormat;
  ctx: ParseContext;
  maxLineBytes: number;
  signal?: AbortSignal;
  onFileProgress?: (fileBytes: number) => void;
  /** Called once the format is known, before the first line reaches the sink. */
  onDetected?: (d: Detected) => void;
}

export interface PipelineResult {
  read: ReadResult;
  detected: Detected;
  counts: LineCounts;
  assumptions: string[];
  /** Set when the file was refused as binary: no line reached the sink. */
  binary: string | null;
  /** The first line a parser threw on, if any (the line is kept as unparsed). */
  parserError: string | null;
}

export type Sink = (line: Line, event: ParsedEvent | null) => void;

/**
 * One file through read → split → detect → parse, each line handed to `sink` in order. The same
 * path serves the import (sink = the case writer) and the parse-only benchmark floor.
 */
export async function runPipeline(path: string, gzip: boolean, opts: PipelineOptions, sink: Sink): Promise<PipelineResult> {
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const counts: LineCounts = { total: 0, parsed: 0, unparsed: 0, truncated: 0, invalidUtf8: 0 };
  const splitter = new LineSplitter(opts.maxLineBytes);
  let sample: Line[] | null = [];
  let sampleChars = 0;
  let parser: LineParser | null = null;
  let detected: Detected | null = null;
  let binary: string | null = null;
  let parserError: string | null = null;

  const handle = (line: Line): void => {
    let event: ParsedEvent | null = null;
    if (parser) {
      try {
        event = parser.parse(line.text);
      } catch (err) {
        parserError ??= `line ${line.lineNo}: ${(err as Error).message}`;
      }
    }
    counts.total++;
    if (event === null || event.dataset === UNPARSED) {
      event = null;
      counts.unparsed++;
    } else counts.parsed++;
    if (line.truncated) counts.truncated++;
    if (line.invalidBytes) counts.invalidUtf8++;
    sink(line, event);
  };

  const decide = (): void => {
    const lines = sample ?? [];
    sample = null;
    if (!opts.format) binary = binaryVerdict(lines);
    if (binary !== null) {
      stop.abort();
      detected = { formatId: 'unknown', confidence: null, forced: false, candidates: [] };
      return;
    }
    let format = opts.format ?? null;
    if (format) detected = { formatId: format.id, confidence: null, forced: true, candidates: [] };
    else {
      const d = detectFormat(FORMATS, lines.map((l) => l.text), opts.ctx);
      format = d?.format ?? null;
      detected = { formatId: d ? d.format.id : 'unknown', confidence: d ? d.confidence : 0, forced: false, candidates: d?.candidates ?? [] };
    }
    parser = format ? format.create(opts.ctx) : null;
    opts.onDetected?.(detected);
    for (const line of lines) handle(line);
  };

  const onLine = (line: Line): void => {
    if (sample === null) return handle(line);
    sample.push(line);
    sampleChars += line.text.length;
    if (sample.length >= SAMPLE_LINES || sampleChars >= SAMPLE_CHARS) decide();
  };

  const read = await readFileStream(path, gzip, {
    signal,
    ...(opts.onFileProgress ? { onFileProgress: opts.onFileProgress } : {}),
    onData: (chunk) => {
      if (!stop.signal.aborted) splitter.push(chunk, onLine);
    },
  });
  if (binary === null && !opts.signal?.aborted) {
    splitter.end(onLine);
    if (sample !== null) decide();
  }
  return {
    read,
    detected: detected ?? { formatId: 'unknown', confidence: null, forced: false, candidates: [] },
    counts,
    assumptions: (parser as LineParser | null)?.assumptions?.() ?? [],
    binary,
    parserError,
  };
}

/**
 * A file whose first lines are mostly control bytes is not a log (an image, an executable, a
 * database). Occasional NULs, as syslog leaves after a crash, do not count against a file.
 */
export function binaryVerdict(lines: readonly Line[]): string | null {
  let chars = 0;
  let control = 0;
  for (const { text } of lines) {
    for (let i = 0; i < text.length && chars < 65_536; i++, chars++) {
      const c = text.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 27) || c === 0xfffd) control++;
    }
  }
  if (chars < 64 || control / chars < 0.3) return null;
  return `looks binary: ${Math.round((100 * control) / chars)}% of its first ${chars} characters are control or invalid bytes; not imported (force a format to import it anyway)`;
}
