import { createHash } from 'node:crypto';
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip } from 'node:zlib';

export interface ReadResult {
  sha256: string;
  /** Bytes of the file on disk that were read (all of them, also when decompression failed). */
  fileBytes: number;
  /** Bytes handed to the caller (decompressed for .gz). */
  dataBytes: number;
  /** Set when the data could not all be read, e.g. a truncated or corrupt .gz. */
  problem: string | null;
}

export interface ReadOptions {
  /** Called with each chunk of (decompressed) data; the read waits while it runs. */
  onData: (chunk: Buffer) => void;
  /** Called after each chunk of the file itself, with the file bytes read so far. */
  onFileProgress?: (fileBytes: number) => void;
  signal?: AbortSignal;
}

const CHUNK = 256 * 1024;

/** Whether a file starts with the gzip magic bytes (the name is not trusted). */
export function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a file once: every byte goes through SHA-256 and, decompressed when gzip (all members of a
 * multi-member file), to `onData`. The file is opened read-only. A gzip error does not throw: what
 * was decompressed so far has been delivered, the hash still covers the whole file, and `problem`
 * says what went wrong and where.
 */
export async function readFileStream(path: string, gzip: boolean, opts: ReadOptions): Promise<ReadResult> {
  const hash = createHash('sha256');
  let fileBytes = 0;
  let dataBytes = 0;
  let problem: string | null = null;
  const file = createReadStream(path, { flags: 'r', highWaterMark: CHUNK });
  const countFile = (chunk: Buffer): void => {
    hash.update(chunk);
    fileBytes += chunk.length;
    opts.onFileProgress?.(fileBytes);
  };
  // For gzip the file is piped into the decompressor, so its chunks are counted as they flow;
  // a plain file is read by the loop itself (mixing 'data' listeners with iteration loses chunks).
  if (gzip) file.on('data', (chunk) => countFile(chunk as Buffer));
  const source = gzip ? file.pipe(createGunzip({ chunkSize: CHUNK })) : file;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (opts.signal?.aborted) break;
      if (!gzip) countFile(chunk);
      dataBytes += chunk.length;
      opts.onData(chunk);
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!gzip || e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') throw err;
    problem = e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)
      ? `gzip data is truncated: the file ends after ${fileBytes} bytes, in the middle of compressed data; the ${dataBytes} bytes before that were imported`
      : `gzip data is corrupt (${e.message}) near compressed byte ${fileBytes}; the ${dataBytes} bytes before it were imported`;
  } finally {
    file.destroy();
  }
  if (opts.signal?.aborted) return { sha256: '', fileBytes, dataBytes, problem: 'cancelled' };
  // After a gzip error the file stream stops early; hash the rest so the digest is the file's.
  fileBytes = finishHash(path, hash, fileBytes);
  return { sha256: hash.digest('hex'), fileBytes, dataBytes, problem };
}

function finishHash(path: string, hash: ReturnType<typeof createHash>, from: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let pos = from;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) return pos;
      hash.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}
