import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

/** Bytes gathered before one write: large enough that syscalls never show in a profile. */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Appends lines to one file, handing them to the OS in multi-megabyte chunks with backpressure.
 * Each line is copied straight into the chunk: concatenating strings instead builds ropes that
 * cost more to flatten than everything else the generator does.
 */
export class ChunkWriter {
  private readonly stream: WriteStream;
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private used = 0;
  /** Full chunks waiting for `flush()`. */
  private pending: Buffer[] = [];
  private failure: Error | undefined;

  constructor(path: string) {
    // A few chunks may queue in the stream, so encoding the next overlaps writing the last.
    this.stream = createWriteStream(path, { highWaterMark: 3 * CHUNK_BYTES });
    // Kept for the next flush: an unheard 'error' event would end the process instead.
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Adds a line (without its newline). True when `flush()` is due. */
  push(line: string): boolean {
    // Generated lines are ASCII (a test checks): one byte per character, and latin1 is the
    // fastest way V8 copies a string out.
    const room = line.length + 1;
    if (this.used + room > this.chunk.length) {
      if (this.used > 0) this.rotate();
      if (room > this.chunk.length) this.chunk = Buffer.allocUnsafe(room);
    }
    this.used += this.chunk.write(line, this.used, 'latin1');
    this.chunk[this.used++] = 10;
    return this.pending.length > 0;
  }

  private rotate(): void {
    this.pending.push(this.chunk.subarray(0, this.used));
    this.chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    this.used = 0;
  }

  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    const ready = this.pending;
    this.pending = [];
    for (const buffer of ready) {
      if (!this.stream.write(buffer)) await once(this.stream, 'drain');
    }
  }

  async close(): Promise<void> {
    if (this.used > 0) this.rotate();
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  /** Gives up on the file (after an error elsewhere) without waiting for pending data. */
  destroy(): void {
    this.stream.destroy();
  }
}
