import { describe, expect, it } from 'vitest';
import { EventFlag } from '../../event.ts';
import type { ParseContext } from '../types.ts';
import { format } from './jsonl.ts';

const ctx: ParseContext = { timezone: 'Europe/Paris', referenceTime: Date.UTC(2026, 5, 30) };
const parse = (line: string) => format.create(ctx).parse(line);

describe('JSON lines parser', () => {
  it('maps nested and dotted ECS names alike', () => {
    const nested = parse('{"@timestamp":"2026-06-16T09:00:00Z","source":{"ip":"192.0.2.1","port":4444},"user":{"name":"alice"},"event":{"dataset":"app.auth","outcome":"failure"}}');
    const dotted = parse('{"@timestamp":"2026-06-16T09:00:00Z","source.ip":"192.0.2.1","source.port":4444,"user.name":"alice","event.dataset":"app.auth","event.outcome":"failure"}');
    const expected = { ts: Date.UTC(2026, 5, 16, 9), dataset: 'app.auth', srcIp: '192.0.2.1', srcPort: 4444, user: 'alice', outcome: 'failure' };
    expect(nested).toEqual(expected);
    expect(dotted).toEqual(expected);
  });

  it('reads epoch seconds, milliseconds and zone-less ISO times (zone assumed, flagged)', () => {
    expect(parse('{"ts":1781600000}')?.ts).toBe(1781600000000);
    expect(parse('{"ts":1781600000.25}')?.ts).toBe(1781600000250);
    expect(parse('{"time":1781600000123}')?.ts).toBe(1781600000123);
    expect(parse('{"timestamp":"1781600000"}')?.ts).toBe(1781600000000);
    const local = parse('{"timestamp":"2026-01-15 12:00:00"}');
    expect(local?.ts).toBe(Date.UTC(2026, 0, 15, 11));
    expect(local?.flags).toBe(EventFlag.zoneAssumed);
    expect(parse('{"timestamp":"soon"}')).toEqual({ ts: null, dataset: 'json', extra: { timestamp: 'soon' } });
  });

  it('keeps values of the wrong type in extra instead of storing them', () => {
    const e = parse('{"src_ip":"unknown","pid":"12a","status":"ok","user":{"id":5},"message":["a"],"http.response.status_code":99}');
    expect(e).toEqual({
      ts: null, dataset: 'json',
      extra: { src_ip: 'unknown', pid: '12a', status: 'ok', 'user.id': 5, message: ['a'], 'http.response.status_code': 99 },
    });
  });

  it('prefers the ECS name when an alias says something else', () => {
    const e = parse('{"src_ip":"10.0.0.1","source.ip":"10.0.0.2","level":"warn"}');
    expect(e?.srcIp).toBe('10.0.0.2');
    expect(e?.extra).toEqual({ src_ip: '10.0.0.1', 'log.level': 'warn' });
  });

  it('refuses a dataset that is not a plain name', () => {
    expect(parse('{"event":{"dataset":"../../x"}}')).toEqual({ ts: null, dataset: 'json', extra: { 'event.dataset': '../../x' } });
  });

  it('does not let __proto__ keys reach a prototype', () => {
    const e = parse('{"__proto__":"x","a":{"__proto__":{"polluted":1}}}');
    expect(Object.getPrototypeOf(e?.extra)).toBe(Object.prototype);
    expect(Object.keys(e?.extra ?? {})).toEqual(['__proto__', 'a.__proto__.polluted']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('returns null for anything but one JSON object', () => {
    for (const line of ['', 'plain text', '[1,2]', '"str"', '42', '{"a":', '{"a":1} trailing', 'null']) {
      expect(parse(line), line).toBeNull();
    }
  });
});
