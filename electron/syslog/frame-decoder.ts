/**
 * Cuts a TCP (or TLS) syslog stream into messages, RFC 6587 (https://www.rfc-editor.org/rfc/rfc6587):
 * octet counting (3.4.1, `MSG-LEN SP MSG`, the framing RFC 5425 mandates for TLS) or
 * non-transparent framing (3.4.2, a trailer after each message: LF, or NUL as some senders use).
 * The first byte of a connection decides, as rsyslog does: a digit means octet counting. Memory is
 * bounded by the size cap whatever the peer sends: a longer message keeps its first `maxBytes`
 * bytes and the rest is skipped, never buffered.
 */
import { isUtf8 } from 'node:buffer';
import type { Line } from '../ingest/line-splitter.ts';

export interface Frame {
  /** The message's bytes, at most the cap, without its trailer. Valid only during the callback. */
  bytes: Buffer;
  /** The message's full length in bytes (larger than `bytes` when truncated). */
  byteLength: number;
  truncated: boolean;
  /** What went wrong with this frame's framing, in words; the bytes received are kept all the same. */
  problem?: string;
}

export type FramingMode = 'octet-counting' | 'non-transparent';

/**
 * A larger octet count is taken for garbage rather than a length: believing it would swallow the
 * frames after it into one truncated frame.
 */
export const MAX_OCTET_COUNT = 64 * 1024 * 1024;

type State =
  | { kind: 'start' }
  | { kind: 'length'; digits: number; value: number }
  | { kind: 'body'; length: number; remaining: number }
  /** Octet counting lost its footing: the bytes up to the next LF are one malformed frame. */
  | { kind: 'resync'; problem: string }
  | { kind: 'line' };

export type FrameSink = (frame: Frame) => void;

export class FrameDecoder {
  mode: FramingMode | null = null;
  private readonly maxBytes: number;
  private state: State;
  /** The current frame's bytes when it spans chunks (at most `maxBytes` + 1). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  /** The current frame's full length so far (non-transparent and resync frames). */
  private frameBytes = 0;
  // The states a frame goes through, reused: a new object per state and frame was most of the
  // decoder's garbage. (A length field's digits are its value's: no leading zero is accepted.)
  private readonly startState: State = { kind: 'start' };
  private readonly lineState: State = { kind: 'line' };
  private readonly lengthState = { kind: 'length' as const, digits: 0, value: 0 };
  private readonly bodyState = { kind: 'body' as const, length: 0, remaining: 0 };

  constructor(maxBytes: number) {
    this.maxBytes = maxBytes;
    this.state = this.startState;
  }

  push(chunk: Buffer, onFrame: FrameSink): void {
    let pos = 0;
    let nul = -2; // position of the next NUL at or after pos, -1 for none, -2 not searched yet
    while (pos < chunk.length) {
      const state = this.state;
      switch (state.kind) {
        case 'start': {
          // Line breaks and NULs between frames are not messages (a sender's CRLF, a trailer after a counted frame).
          const c = chunk[pos] as number;
          if (c === 10 || c === 13 || c === 0) {
            pos++;
            continue;
          }
          this.mode ??= c >= 49 && c <= 57 ? 'octet-counting' : 'non-transparent';
          if (this.mode === 'octet-counting') {
            this.lengthState.digits = 0;
            this.lengthState.value = 0;
            this.state = this.lengthState;
          } else this.state = this.lineState;
          continue;
        }
        case 'length': {
          const c = chunk[pos] as number;
          if (c === 32 && state.digits > 0 && state.value <= MAX_OCTET_COUNT) {
            pos++;
            this.bodyState.length = state.value;
            this.bodyState.remaining = state.value;
            this.state = this.bodyState;
            continue;
          }
          if (c >= 48 && c <= 57 && !(c === 48 && state.digits === 0) && state.value <= MAX_OCTET_COUNT) {
            state.digits++;
            state.value = state.value * 10 + c - 48;
            pos++;
            continue;
          }
          this.state = { kind: 'resync', problem: state.value > MAX_OCTET_COUNT
            ? `octet count over ${MAX_OCTET_COUNT} bytes, taken for garbage; kept up to the next line break`
            : 'octet-counting frame without a valid length (RFC 6587 3.4.1); kept up to the next line break' };
          const lengthText = state.digits > 0 ? String(state.value) : '';
          this.frameBytes = lengthText.length;
          if (lengthText !== '') this.keep(Buffer.from(lengthText, 'latin1'), 0, lengthText.length);
          continue;
        }
        case 'body': {
          const take = Math.min(state.remaining, chunk.length - pos);
          if (take === state.remaining && this.carryBytes === 0 && state.length <= this.maxBytes) {
            state.remaining = 0;
            this.emit(chunk.subarray(pos, pos + take), state.length, undefined, onFrame);
          } else {
            this.keep(chunk, pos, pos + take);
            state.remaining -= take;
            if (state.remaining === 0) this.flushCarry(state.length, undefined, onFrame);
          }
          pos += take;
          if (state.remaining === 0) this.state = this.startState;
          continue;
        }
        case 'resync':
        case 'line': {
          const nl = chunk.indexOf(10, pos);
          if (state.kind === 'line' && nul !== -1 && nul < pos) nul = chunk.indexOf(0, pos);
          const end = Math.min(nl === -1 ? chunk.length : nl, state.kind === 'line' && nul >= 0 ? nul : chunk.length);
          const found = end < chunk.length;
          if (found && this.carryBytes === 0 && this.frameBytes === 0) {
            this.emit(chunk.subarray(pos, end), end - pos, state.kind === 'resync' ? state.problem : undefined, onFrame);
          } else {
            this.keep(chunk, pos, end);
            this.frameBytes += end - pos;
            if (found) this.flushCarry(this.frameBytes, state.kind === 'resync' ? state.problem : undefined, onFrame);
          }
          pos = found ? end + 1 : chunk.length;
          if (found) {
            this.frameBytes = 0;
            this.state = this.startState;
          }
          continue;
        }
        default:
          return assertNever(state);
      }
    }
  }

  /** The connection closed: a frame it cut short is kept, saying so. */
  end(onFrame: FrameSink): void {
    const state = this.state;
    switch (state.kind) {
      case 'start':
        break;
      case 'length': {
        const lengthText = state.digits > 0 ? String(state.value) : '';
        onFrame({ bytes: Buffer.from(lengthText, 'latin1'), byteLength: lengthText.length, truncated: false, problem: 'connection closed inside an octet count' });
        break;
      }
      case 'body': {
        const got = state.length - state.remaining;
        this.flushCarry(got, `connection closed after ${got} of the ${state.length} bytes the frame announced`, onFrame);
        break;
      }
      case 'resync':
        this.flushCarry(this.frameBytes, state.problem, onFrame);
        break;
      case 'line':
        // Non-transparent framing has no way to tell a missing last trailer from a cut message.
        if (this.frameBytes > 0) this.flushCarry(this.frameBytes, undefined, onFrame);
        break;
      default:
        assertNever(state);
    }
    this.state = this.startState;
    this.carry = [];
    this.carryBytes = 0;
    this.frameBytes = 0;
  }

  private keep(chunk: Buffer, start: number, end: number): void {
    const room = this.maxBytes + 1 - this.carryBytes; // +1 keeps a trailing CR to strip
    if (room > 0 && end > start) {
      const piece = Buffer.from(chunk.subarray(start, Math.min(end, start + room)));
      this.carry.push(piece);
      this.carryBytes += piece.length;
    }
  }

  private flushCarry(byteLength: number, problem: string | undefined, onFrame: FrameSink): void {
    const joined = this.carry.length === 1 ? (this.carry[0] as Buffer) : Buffer.concat(this.carry, this.carryBytes);
    this.carry = [];
    this.carryBytes = 0;
    this.emit(joined, byteLength, problem, onFrame);
  }

  private emit(bytes: Buffer, byteLength: number, problem: string | undefined, onFrame: FrameSink): void {
    let end = bytes.length;
    let length = byteLength;
    // A trailer inside a counted frame or a CR before LF is framing, not message.
    while (end > 0 && (bytes[end - 1] === 10 || bytes[end - 1] === 13 || bytes[end - 1] === 0) && length === end) {
      end--;
      length--;
    }
    const truncated = length > this.maxBytes;
    if (truncated) end = Math.min(end, this.maxBytes);
    if (end === 0 && !truncated && problem === undefined) return;
    const frame: Frame = { bytes: end === bytes.length ? bytes : bytes.subarray(0, end), byteLength: length, truncated };
    if (problem !== undefined) frame.problem = problem;
    onFrame(frame);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected state ${JSON.stringify(x)}`);
}

/** A frame's bytes as the line the event writer stores (text, and the exact bytes when not UTF-8). */
export function toLine(frame: Frame, lineNo: number, offset: number): Line {
  let text = frame.bytes.toString('utf8');
  let invalidBytes: Buffer | null = null;
  // U+FFFD in the text means either invalid bytes or a genuine replacement character; ask which.
  if (text.includes('\uFFFD') && !isUtf8(frame.bytes)) {
    invalidBytes = Buffer.from(frame.bytes);
    // A cut in the middle of a multi-byte character is not the message's fault.
    if (frame.truncated) text = text.replace(/\uFFFD+$/, '');
  }
  return { text, lineNo, offset, byteLength: frame.byteLength, truncated: frame.truncated, invalidBytes };
}
