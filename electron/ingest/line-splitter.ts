import { isUtf8 } from 'node:buffer';

export interface Line {
  text: string;
  /** 1-based line number in the (decompressed) input. */
  lineNo: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Length in bytes, without the line break; larger than the kept text when truncated. */
  byteLength: number;
  truncated: boolean;
  /** The line's bytes when they are not valid UTF-8 (only then; capped like the text). */
  invalidBytes: Buffer | null;
}

/**
 * Cuts a byte stream into lines (LF, with a CR before it dropped). Memory stays bounded by the cap:
 * a line longer than `maxLineBytes` keeps its first `maxLineBytes` bytes and the rest is skipped
 * until the next line break, however long the line is.
 */
export class LineSplitter {
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private lineStart = 0;
  private lineBytes = 0;
  private lineNo = 0;
  private offset = 0;
  private readonly maxLineBytes: number;

  constructor(maxLineBytes: number) {
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer, onLine: (line: Line) => void): void {
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (nl !== -1 && this.lineBytes === 0) {
        // The common case: the whole line is inside this chunk.
        this.lineStart = this.offset + pos;
        this.emit(chunk, pos, end, end - pos, onLine);
      } else {
        if (this.lineBytes === 0) this.lineStart = this.offset + pos;
        this.keep(chunk, pos, end);
        if (nl !== -1) this.flushCarry(onLine);
      }
      pos = nl === -1 ? chunk.length : nl + 1;
    }
    this.offset += chunk.length;
  }

  /** Emits the last line when the input does not end with a line break. */
  end(onLine: (line: Line) => void): void {
    if (this.lineBytes > 0 || this.carryBytes > 0) this.flushCarry(onLine);
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    this.lineBytes += end - start;
    const room = this.maxLineBytes + 1 - this.carryBytes; // +1 keeps a possible trailing CR
    if (room > 0 && end > start) {
      const piece = chunk.subarray(start, Math.min(end, start + room));
      this.carry.push(Buffer.from(piece));
      this.carryBytes += piece.length;
    }
  }

  private flushCarry(onLine: (line: Line) => void): void {
    const joined = Buffer.concat(this.carry, this.carryBytes);
    const total = this.lineBytes;
    this.carry = [];
    this.carryBytes = 0;
    this.lineBytes = 0;
    this.emit(joined, 0, joined.length, total, onLine);
  }

  private emit(buf: Buffer, start: number, end: number, totalBytes: number, onLine: (line: Line) => void): void {
    let lineEnd = end;
    let byteLength = totalBytes;
    const truncated = totalBytes > this.maxLineBytes + (buf[totalBytes - 1 + start] === 13 ? 1 : 0);
    if (!truncated && lineEnd > start && buf[lineEnd - 1] === 13) {
      lineEnd--;
      byteLength--;
    }
    if (truncated) lineEnd = Math.min(lineEnd, start + this.maxLineBytes);
    let text = buf.toString('utf8', start, lineEnd);
    let invalidBytes: Buffer | null = null;
    // U+FFFD in the text means either invalid bytes or a genuine replacement character; ask which.
    if (text.includes('\uFFFD')) {
      const bytes = buf.subarray(start, lineEnd);
      if (!isUtf8(bytes)) {
        // A cut in the middle of a multi-byte character is not the line's fault.
        invalidBytes = Buffer.from(bytes);
        if (truncated) text = text.replace(/\uFFFD+$/, '');
      }
    }
    // A UTF-8 byte order mark says how the file is encoded; it is not part of the first line.
    if (this.lineNo === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    this.lineNo++;
    onLine({ text, lineNo: this.lineNo, offset: this.lineStart, byteLength, truncated, invalidBytes });
  }
}
