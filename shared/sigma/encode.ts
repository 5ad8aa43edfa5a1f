/**
 * The encoding modifiers `base64`, `base64offset`, `utf16le`/`wide`, `utf16be` and `utf16`
 * (https://sigmahq.io/docs/basics/modifiers.html). `shared/` has no TextEncoder or btoa in its
 * type environment, so the few lines of UTF-8 and Base64 are written out here.
 */

export type Bytes = number[];

export function utf8(text: string): Bytes {
  const out: Bytes = [];
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

export function utf16(text: string, order: 'le' | 'be', bom = false): Bytes {
  const out: Bytes = bom ? (order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]) : [];
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (order === 'le') out.push(u & 0xff, u >> 8);
    else out.push(u >> 8, u & 0xff);
  }
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64(bytes: Bytes): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] as number;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += ALPHABET[(n >> 18) & 63];
    out += ALPHABET[(n >> 12) & 63];
    out += b1 === undefined ? '=' : ALPHABET[(n >> 6) & 63];
    out += b2 === undefined ? '=' : ALPHABET[n & 63];
  }
  return out;
}

/**
 * The three forms `bytes` takes inside a longer Base64 text, one per position modulo 3 at which it
 * can start. Characters that also depend on the unknown bytes before or after are cut off: with
 * 1 or 2 bytes before, the first 2 or 3 characters; at the end, the characters of a partial
 * group (3 when one byte is left over, 2 when two are), padding included.
 */
export function base64Offsets(bytes: Bytes): string[] {
  const variants: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = base64([...new Array<number>(shift).fill(0), ...bytes]);
    const start = [0, 2, 3][shift] as number;
    const leftover = (bytes.length + shift) % 3;
    const end = encoded.length - [0, 3, 2][leftover]!;
    variants.push(encoded.slice(start, end));
  }
  return variants;
}
