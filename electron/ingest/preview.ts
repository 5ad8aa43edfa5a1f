import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createGunzip } from 'node:zlib';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { detectFormat } from '../../shared/parse/detect.ts';
import { FORMATS } from '../../shared/parse/registry.ts';
import { expandPaths, type InputFile } from './expand-paths.ts';
import { isGzip } from './file-reader.ts';
import { DEFAULT_MAX_LINE_BYTES } from './import.ts';
import { type Line, LineSplitter } from './line-splitter.ts';
import { binaryVerdict, SAMPLE_CHARS, SAMPLE_LINES } from './pipeline.ts';

export type ImportPreview = ResponseOf<'import:preview'>;
type FilePreview = ImportPreview['files'][number];

/** Lines shown per file, and the most characters of each. */
const SHOWN_LINES = 5;
const SHOWN_CHARS = 1000;

/**
 * What an import of `paths` would do with each file, without writing anything: the format the
 * import would detect (from the same sample of first lines, so preview and import agree), the
 * other formats that fit some lines, the first lines, size and compression. `casePath` (the open
 * case) and its journal files are left out, as the import leaves them out.
 */
export async function previewImport(paths: readonly string[], casePath: string | null): Promise<ImportPreview> {
  const { files, skipped } = expandPaths(paths);
  const own = new Set(casePath === null ? [] : ['', '-wal', '-shm', '-journal'].map((s) => resolve(casePath) + s));
  const previews: FilePreview[] = [];
  for (const file of files) {
    if (own.has(file.path)) {
      skipped.push({ path: file.path, reason: 'this is the case file itself (or its journal); not imported' });
      continue;
    }
    const outcome = await previewFile(file);
    if ('reason' in outcome) skipped.push({ path: file.path, reason: outcome.reason });
    else previews.push(outcome);
  }
  return { files: previews, skipped };
}

async function previewFile(file: InputFile): Promise<FilePreview | { reason: string }> {
  let gzip: boolean;
  let lines: Line[];
  try {
    gzip = isGzip(file.path);
    lines = await headLines(file.path, gzip);
  } catch (err) {
    return { reason: `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const binary = binaryVerdict(lines);
  if (binary !== null) return { reason: binary };
  const sample = lines.map((l) => l.text);
  const detected = detectFormat(FORMATS, sample, { timezone: 'UTC', referenceTime: file.mtime });
  const format = detected?.format.id ?? 'unparsed';
  return {
    path: file.path,
    name: file.name,
    size: file.size,
    compression: gzip ? 'gzip' : null,
    format,
    confidence: detected?.confidence ?? null,
    candidates: (detected?.candidates ?? []).filter((c) => c.id !== format && c.confidence > 0),
    sample: sample.slice(0, SHOWN_LINES).map((t) => (t.length > SHOWN_CHARS ? `${t.slice(0, SHOWN_CHARS)}…` : t)),
  };
}

/** The file's first lines, as many as format detection looks at; only as much of the file is read. */
async function headLines(path: string, gzip: boolean): Promise<Line[]> {
  const lines: Line[] = [];
  let chars = 0;
  const splitter = new LineSplitter(DEFAULT_MAX_LINE_BYTES);
  const enough = (): boolean => lines.length >= SAMPLE_LINES || chars >= SAMPLE_CHARS;
  const onLine = (line: Line): void => {
    if (enough()) return;
    lines.push(line);
    chars += line.text.length;
  };
  const file = createReadStream(path, { flags: 'r', highWaterMark: 64 * 1024 });
  const source = gzip ? file.pipe(createGunzip()) : file;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      splitter.push(chunk, onLine);
      if (enough()) break;
    }
    splitter.end(onLine);
  } catch (err) {
    // A truncated or corrupt .gz: preview what came out before the damage (the import keeps it too).
    if (!gzip || lines.length === 0) throw err;
  } finally {
    file.destroy();
    source.destroy();
  }
  return lines;
}
