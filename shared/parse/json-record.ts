/** JSON-lines helpers shared by the generic JSON and the Zeek JSON parsers. */

export type JsonObject = Record<string, unknown>;

/** The object on a line, or null when the line is not exactly one JSON object. */
export function parseJsonObject(line: string): JsonObject | null {
  const text = line.replace(/^\uFEFF/, '').trim();
  if (!text.startsWith('{') || !text.endsWith('}')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_DEPTH = 8;

/**
 * Nested objects as dotted names (`{"source":{"ip":1}}` → `source.ip`), the way ECS and Zeek
 * name fields; arrays and objects deeper than a few levels stay whole values. Empty objects are
 * kept as they are so nothing disappears.
 */
export function flattenObject(obj: JsonObject, prefix = '', depth = 0): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (isObject(value) && depth < MAX_DEPTH && Object.keys(value).length > 0) {
      out.push(...flattenObject(value, name, depth + 1));
    } else {
      out.push([name, value]);
    }
  }
  return out;
}
