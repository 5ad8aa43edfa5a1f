import type { ParsedEvent } from '../../event.ts';
import { mapFields, toParsedEvent } from '../field-aliases.ts';
import { flattenObject, parseJsonObject } from '../json-record.ts';
import { matchRatio } from '../detect.ts';
import type { LineParser, LogFormat, ParseContext } from '../types.ts';

/**
 * Generic JSON lines: one object per line. Nested objects are flattened to dotted names, then
 * ECS names and common aliases are mapped through the shared alias table (`field-aliases.ts`);
 * every other field is kept in `extra` under its dotted name, arrays as they are. The dataset is
 * the object's `event.dataset` when it is a plain name, else `json`.
 */
export const format: LogFormat = {
  id: 'json',
  title: 'JSON lines',
  description: 'One JSON object per line; ECS names (dotted or nested) and common aliases are mapped',
  // A hair below a full match, so a JSON format that knows the fields (Zeek's) wins a tie
  // wherever the registry lists it.
  detect: (sample, ctx) => 0.99 * matchRatio(format, sample, ctx),
  create: (ctx) => createParser(ctx),
};

function createParser(ctx: ParseContext): LineParser {
  return {
    parse(line: string): ParsedEvent | null {
      const obj = parseJsonObject(line);
      if (!obj) return null;
      return toParsedEvent(mapFields(flattenObject(obj), ctx, 'json'));
    },
  };
}
