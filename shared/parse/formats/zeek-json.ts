import type { ParsedEvent } from '../../event.ts';
import { EventFlag } from '../../event.ts';
import { matchRatio } from '../detect.ts';
import { toTimestamp } from '../field-values.ts';
import { flattenObject, parseJsonObject } from '../json-record.ts';
import type { LineParser, LogFormat, ParseContext } from '../types.ts';
import { inferZeekLog, zeekDataset, zeekEvent } from '../zeek-fields.ts';

/**
 * Zeek logs written as JSON (`LogAscii::use_json`): one object per line with `ts` (epoch seconds,
 * ms, or ISO 8601) and dotted names (`id.orig_h`; nested `id: {…}` objects are read the same).
 * The log's name is not in the line unless a `_path` field carries it, so it is inferred from
 * the fields present (`zeek-fields.ts`), falling back to dataset `zeek`.
 */
export const format: LogFormat = {
  id: 'zeek.json',
  title: 'Zeek (JSON)',
  description: 'Zeek logs written as JSON (conn, http, dns, ssh, …)',
  detect: (sample, ctx) => matchRatio(format, sample, ctx),
  create: (ctx) => createParser(ctx),
};

/** Test baselines mask times as `XXXXXXXXXX.XXXXXX`, which is not JSON; read it as "no time". */
const MASKED_TIME = /:X{10}\.X{6}(?=\s*[,}])/g;
const ZEEK_MARKERS = ['uid', 'fuid', 'id.orig_h', 'id.resp_h', '_path'];

function createParser(ctx: ParseContext): LineParser {
  return {
    parse(line: string): ParsedEvent | null {
      const obj = parseJsonObject(line) ?? parseJsonObject(line.replace(MASKED_TIME, ':null'));
      if (!obj || !('ts' in obj)) return null;
      const record = new Map(flattenObject(obj));
      const rawTs = record.get('ts');
      record.delete('ts');
      const path = record.get('_path');
      const log = typeof path === 'string' ? path : inferZeekLog(record);
      if (log === undefined && !ZEEK_MARKERS.some((k) => record.has(k))) return null;
      if (typeof path === 'string') record.delete('_path');

      const time = toTimestamp(rawTs, ctx.timezone);
      const event = zeekEvent(record, log, time?.ts ?? null, zeekDataset(log));
      if (rawTs !== null && time === undefined) event.extra = { ...event.extra, ts: rawTs };
      if (time?.zoneAssumed) event.flags = EventFlag.zoneAssumed;
      return event;
    },
  };
}
