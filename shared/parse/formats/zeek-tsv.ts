import type { ParsedEvent } from '../../event.ts';
import { matchRatio } from '../detect.ts';
import { epochToMs } from '../field-values.ts';
import { unescapeBackslashHex } from '../text-decode.ts';
import type { LineParser, LogFormat } from '../types.ts';
import { inferZeekLog, zeekDataset, zeekEvent } from '../zeek-fields.ts';

/**
 * Zeek's ASCII (TSV) logs (https://docs.zeek.org/en/master/logs/index.html): `#` header lines set
 * the separator, the unset and empty markers, the log's `#path`, its `#fields` and `#types`.
 * Header lines become `zeek.meta` events (no time) so lines in = events out. Data lines are typed
 * by `#types`: times to epoch ms, counts/ports/ints/intervals to numbers, bools to booleans,
 * sets and vectors to arrays; unset (`-`) and empty (`(empty)`) fields are left out.
 */
export const format: LogFormat = {
  id: 'zeek.tsv',
  title: 'Zeek (TSV)',
  description: 'Zeek logs in their tab-separated form with a #fields header',
  detect: (sample, ctx) =>
    sample.some((l) => l.startsWith('#separator') || l.startsWith('#fields')) ? matchRatio(format, sample, ctx) : 0,
  create: () => createParser(),
};

const DIRECTIVES = new Set(['separator', 'set_separator', 'empty_field', 'unset_field', 'path', 'open', 'fields', 'types', 'close']);

function createParser(): LineParser {
  let sep = '\t';
  let setSep = ',';
  let emptyField = '(empty)';
  let unsetField = '-';
  let path: string | undefined;
  let fields: string[] | undefined;
  let types: ColumnType[] = [];

  function header(line: string): ParsedEvent | null {
    const m = /^#([a-z_]+)(.*)$/s.exec(line);
    const name = m?.[1] ?? '';
    const rest = m?.[2] ?? '';
    if (!DIRECTIVES.has(name)) return null;
    let values: string[];
    if (rest.startsWith(sep)) values = rest.slice(sep.length).split(sep).map(unescapeBackslashHex);
    // `#separator \x09` is written with a space, since the separator is not known yet.
    else if (rest.startsWith(' ')) values = [unescapeBackslashHex(rest.slice(1))];
    else if (rest === '') values = [];
    else return null;
    const first = values[0] ?? '';
    switch (name) {
      case 'separator': if (first !== '') sep = first; break;
      case 'set_separator': setSep = first; break;
      case 'empty_field': emptyField = first; break;
      case 'unset_field': unsetField = first; break;
      case 'path': path = first; break;
      case 'fields': fields = values; break;
      case 'types': types = values.map(columnType); break;
    }
    const list = name === 'fields' || name === 'types';
    return { ts: null, dataset: 'zeek.meta', extra: { directive: name, value: list ? values : first } };
  }

  function typed(raw: string, type: ColumnType): unknown {
    if (type.container) return raw.split(setSep).map((item) => (item === unsetField ? null : scalar(item, type.base)));
    return scalar(raw, type.base);
  }

  return {
    parse(line: string): ParsedEvent | null {
      if (line.startsWith('#')) return header(line);
      if (!fields || line.trim() === '') return null;
      const parts = line.split(sep);
      const record = new Map<string, unknown>();
      parts.forEach((raw, i) => {
        if (raw === unsetField || raw === emptyField) return;
        record.set(fields?.[i] ?? `column_${i + 1}`, typed(raw, types[i] ?? STRING));
      });
      const ts = record.get('ts');
      record.delete('ts');
      const log = path ?? inferZeekLog(record);
      const event = zeekEvent(record, log, typeof ts === 'number' ? ts : null, zeekDataset(log));
      // A masked or garbled time is kept as it was written.
      if (typeof ts === 'string') event.extra = { ...event.extra, ts };
      return event;
    },
  };
}

interface ColumnType {
  container: boolean;
  base: string;
}

const STRING: ColumnType = { container: false, base: 'string' };

/** `set[addr]` → a container of addr; `count` → a plain count. */
function columnType(type: string): ColumnType {
  const m = /^(?:set|vector|table)\[(.+)\]$/.exec(type);
  return m ? { container: true, base: m[1] ?? 'string' } : { container: false, base: type };
}

function scalar(raw: string, type: string): unknown {
  switch (type) {
    case 'time': {
      const ms = /^\d+(\.\d+)?$/.test(raw) ? epochToMs(Number(raw)) : undefined;
      return ms ?? raw;
    }
    case 'interval': case 'double': {
      const n = Number(raw);
      return raw !== '' && Number.isFinite(n) ? n : raw;
    }
    case 'count': case 'int': case 'port':
      return /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
    case 'bool':
      return raw === 'T' ? true : raw === 'F' ? false : raw;
    default:
      return unescapeBackslashHex(raw);
  }
}
