/**
 * Byte-level decoding shared by the parsers. `shared/` has no TextDecoder in its type
 * environment, so UTF-8 is decoded here; invalid sequences become U+FFFD, as TextDecoder would.
 */

/** True for an even-length run of hex digits (either case). */
export function isHex(text: string): boolean {
  return text.length > 0 && text.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(text);
}

/** The bytes of a hex string (the caller checked `isHex`). */
export function hexBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}

/** Decodes UTF-8 bytes leniently: each invalid or truncated sequence becomes U+FFFD. */
export function utf8Text(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) {
      out += '\uFFFD';
      i++;
      continue;
    }
    let cp = b & (0x3f >> need);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) { ok = false; break; }
      cp = (cp << 6) | (c & 0x3f);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid UTF-8.
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (!ok || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\uFFFD';
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** A hex string decoded as UTF-8 text. */
export function hexText(hex: string): string {
  return utf8Text(hexBytes(hex));
}

/**
 * Undoes `\xHH` escapes (runs of them are decoded together, so escaped UTF-8 survives) and
 * `\\`, as Zeek's ASCII writer produces them. Other backslashes are kept.
 */
export function unescapeBackslashHex(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  let pending: number[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\' && text[i + 1] === 'x' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 2, i + 4))) {
      pending.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
      continue;
    }
    if (pending.length > 0) {
      out += utf8Text(pending);
      pending = [];
    }
    if (text[i] === '\\' && text[i + 1] === '\\') {
      out += '\\';
      i += 2;
      continue;
    }
    out += text[i];
    i++;
  }
  if (pending.length > 0) out += utf8Text(pending);
  return out;
}
