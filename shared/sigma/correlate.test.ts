import { describe, expect, it } from 'vitest';
import { Correlator, type CorrelationHit } from './correlate.ts';
import { matchLines } from './match-lines.ts';
import { ruleSetFrom } from './test-support.ts';
import type { CorrelationRule } from './types.ts';

function correlation(over: Partial<CorrelationRule>): CorrelationRule {
  return {
    kind: 'correlation', id: 'c', title: 'c', level: 'high', tags: [], references: [], falsepositives: [],
    origin: { file: 't.yml', document: 1 }, type: 'event_count', rules: ['a'], groupBy: ['ip'], timespanMs: 10_000,
    condition: { gte: 3 }, aliases: {}, generate: false, ...over,
  };
}

let id = 0;
/** Feeds [group, seconds, slot?, value?] in order; returns all hits, flush included. */
function run(rule: CorrelationRule, inputs: [string, number, number?, string?][]): CorrelationHit[] {
  const c = new Correlator(rule);
  const hits: CorrelationHit[] = [];
  for (const [group, s, slot, value] of inputs) {
    hits.push(...c.push({ slots: [slot ?? 0], ts: s * 1000, eventIds: [++id], group: [group], ...(value !== undefined ? { value } : {}) }));
  }
  return [...hits, ...c.flush()];
}

describe('event_count', () => {
  const rule = correlation({});

  it('counts matches exactly one timespan apart, but not a millisecond more', () => {
    expect(run(rule, [['a', 0], ['a', 5], ['a', 10]])).toHaveLength(1);
    const c = new Correlator(rule);
    c.push({ slots: [0], ts: 0, eventIds: [1], group: ['a'] });
    c.push({ slots: [0], ts: 5000, eventIds: [2], group: ['a'] });
    expect(c.push({ slots: [0], ts: 10_001, eventIds: [3], group: ['a'] })).toEqual([]);
    // The first match has left the window; two more inside it fire.
    expect(c.push({ slots: [0], ts: 11_000, eventIds: [4], group: ['a'] })).toHaveLength(1);
  });

  it('keeps groups apart when their matches interleave', () => {
    const hits = run(rule, [['a', 0], ['b', 1], ['a', 2], ['b', 3], ['a', 4], ['b', 30]]);
    expect(hits.map((h) => h.group)).toEqual([['a']]);
  });

  it('reports each match once per episode, and starts a new episode after a gap', () => {
    const hits = run(rule, [['a', 0], ['a', 1], ['a', 2], ['a', 3], ['a', 4], ['a', 100], ['a', 101], ['a', 102]]);
    expect(hits.map((h) => h.eventIds.length)).toEqual([3, 1, 1, 3]);
    expect(new Set(hits.slice(0, 3).map((h) => h.episode)).size).toBe(1);
    expect(hits[3]?.episode).not.toBe(hits[0]?.episode);
    expect(hits[0]).toMatchObject({ first: 0, ts: 2000, count: 3 });
  });

  it('judges an upper bound once the window is over', () => {
    const few = correlation({ condition: { lt: 3 } });
    const hits = run(few, [['a', 0], ['a', 1], ['b', 0], ['b', 1], ['b', 2], ['a', 50]]);
    // a's first window (2 matches) closes when a's match at 50 s arrives; b's (3) fails; a's second closes at the end.
    expect(hits.map((h) => [h.group[0], h.count])).toEqual([['a', 2], ['a', 1]]);
    const c = new Correlator(correlation({ condition: { eq: 1 } }));
    c.push({ slots: [0], ts: 0, eventIds: [1], group: ['x'] });
    expect(c.advance(5000)).toEqual([]);
    expect(c.advance(10_001)).toHaveLength(1);
  });

  it('gives the same hits fed in one go or in batches', () => {
    const inputs: [string, number][] = Array.from({ length: 60 }, (_, i) => [i % 3 === 0 ? 'a' : 'b', i * 2]);
    const whole = run(rule, inputs).map((h) => h.eventIds.length);
    const c = new Correlator(rule);
    const batched: number[] = [];
    for (const batch of [inputs.slice(0, 17), inputs.slice(17, 40), inputs.slice(40)]) {
      for (const [group, s] of batch) batched.push(...c.push({ slots: [0], ts: s * 1000, eventIds: [s], group: [group] }).map((h) => h.eventIds.length));
    }
    batched.push(...c.flush().map((h) => h.eventIds.length));
    expect(batched).toEqual(whole);
  });
});

describe('value_count', () => {
  it('counts distinct values in the window, ignoring matches without the field', () => {
    const rule = correlation({ type: 'value_count', field: 'user', condition: { gte: 3 } });
    expect(run(rule, [['a', 0, 0, 'root'], ['a', 1, 0, 'root'], ['a', 2, 0, 'admin'], ['a', 3, 0, 'admin']])).toEqual([]);
    expect(run(rule, [['a', 0, 0, 'root'], ['a', 1, 0], ['a', 2, 0, 'admin'], ['a', 3, 0, 'oracle']])).toEqual([
      expect.objectContaining({ count: 3, values: ['root', 'admin', 'oracle'] }),
    ]);
    // Distinct across the window only: root left before oracle came.
    expect(run(rule, [['a', 0, 0, 'root'], ['a', 5, 0, 'admin'], ['a', 11, 0, 'oracle']])).toEqual([]);
  });
});

describe('temporal', () => {
  const rule = correlation({ type: 'temporal', rules: ['x', 'y'], condition: { gte: 2 } });

  it('fires when every rule matched within the timespan, in any order', () => {
    expect(run(rule, [['a', 0, 1], ['a', 4, 0]])).toHaveLength(1);
    expect(run(rule, [['a', 0, 0], ['a', 4, 1]])).toHaveLength(1);
    expect(run(rule, [['a', 0, 0], ['a', 11, 1]])).toEqual([]);
    expect(run(rule, [['a', 0, 0], ['b', 1, 1]])).toEqual([]);
  });

  it('temporal_ordered also needs the order', () => {
    const ordered = correlation({ type: 'temporal_ordered', rules: ['x', 'y', 'z'], condition: { gte: 3 } });
    expect(run(ordered, [['a', 0, 0], ['a', 1, 1], ['a', 2, 2]])).toHaveLength(1);
    expect(run(ordered, [['a', 0, 1], ['a', 1, 0], ['a', 2, 2]])).toEqual([]);
    expect(run(ordered, [['a', 0, 0], ['a', 1, 2], ['a', 2, 1]])).toEqual([]);
    expect(run(ordered, [['a', 0, 0], ['a', 5, 1], ['a', 11, 2]])).toEqual([]);
    // A later start inside the span still completes the chain.
    expect(run(ordered, [['a', 0, 0], ['a', 5, 0], ['a', 6, 1], ['a', 14, 2]])).toHaveLength(1);
    // One event matching two steps does not stand for both.
    const c = new Correlator(correlation({ type: 'temporal_ordered', rules: ['x', 'y'], condition: { gte: 2 } }));
    expect(c.push({ slots: [0, 1], ts: 0, eventIds: [1], group: ['a'] })).toEqual([]);
    expect(c.push({ slots: [1], ts: 1, eventIds: [2], group: ['a'] })).toHaveLength(1);
  });
});

const SSH_RULES = `title: Failed SSH login
id: ssh-failed
name: ssh_failed
logsource: { product: linux, service: sshd }
detection:
  sel: { event.action: login, event.outcome: failure }
  condition: sel
---
title: Successful SSH login
id: ssh-ok
name: ssh_ok
logsource: { product: linux, service: sshd }
detection:
  sel: { event.action: login, event.outcome: success }
  condition: sel
---
title: SSH brute force
id: ssh-brute
name: ssh_brute
level: medium
correlation:
  type: event_count
  rules: [ssh_failed]
  group-by: [source.ip]
  timespan: 5m
  condition: { gte: 3 }
---
title: Login after brute force
id: ssh-brute-ok
level: critical
correlation:
  type: temporal_ordered
  rules: [ssh_brute, ssh_ok]
  group-by: [source.ip]
  timespan: 10m
  generate: true
`;

const line = (t: string, msg: string): string => `Mar 14 ${t} web01 sshd[811]: ${msg}`;
const fail = (t: string, ip: string): string => line(t, `Failed password for root from ${ip} port 40022 ssh2`);
const ok = (t: string, ip: string): string => line(t, `Accepted password for alice from ${ip} port 40022 ssh2`);

describe('correlations over parsed lines', () => {
  it('chains an event_count into a temporal_ordered, per source IP', () => {
    const set = ruleSetFrom(SSH_RULES);
    const lines = [
      fail('08:00:00', '203.0.113.5'), fail('08:00:10', '198.51.100.7'), fail('08:00:20', '203.0.113.5'),
      fail('08:00:30', '203.0.113.5'), ok('08:01:00', '198.51.100.7'), ok('08:02:00', '203.0.113.5'),
    ];
    const r = matchLines(set, 'syslog', lines);
    expect(r.matches['ssh-failed']).toEqual([0, 1, 2, 3]);
    expect(r.matches['ssh-brute']).toEqual([0, 2, 3]);
    expect(r.fired['ssh-brute-ok']).toBe(1);
    expect(r.matches['ssh-brute-ok']).toEqual([0, 2, 3, 5]);
    // Success first, failures after: no alert for the ordered rule.
    const reversed = matchLines(set, 'syslog', [ok('08:00:00', '203.0.113.5'), fail('08:00:01', '203.0.113.5'), fail('08:00:02', '203.0.113.5'), fail('08:00:03', '203.0.113.5')]);
    expect(reversed.fired['ssh-brute']).toBe(1);
    expect(reversed.fired['ssh-brute-ok']).toBeUndefined();
  });

  it('runs a legacy `| count() by … > N` with its timeframe', () => {
    const rules = ruleSetFrom(`title: Many 404
id: many-404
logsource: { category: webserver }
detection:
  sel: { sc-status: 404 }
  timeframe: 1m
  condition: sel | count() by c-ip > 2
`);
    const req = (ip: string, t: string, status: number): string => `${ip} - - [14/Mar/2026:08:${t} +0000] "GET /x HTTP/1.1" ${status} 1 "-" "curl"`;
    const r = matchLines(rules, 'apache.access', [
      req('203.0.113.5', '00:00', 404), req('203.0.113.5', '00:10', 404), req('198.51.100.7', '00:20', 404),
      req('203.0.113.5', '00:30', 200), req('203.0.113.5', '00:59', 404), req('203.0.113.5', '02:00', 404),
    ]);
    expect(r.fired['many-404']).toBe(1);
    expect(r.matches['many-404']).toEqual([0, 1, 4]);
  });
});

describe('forget (live feeds)', () => {
  it('gives exactly the hits, episodes included, of a correlator that never forgets', () => {
    const rules: CorrelationRule[] = [
      correlation({ type: 'event_count', condition: { gte: 3 } }),
      correlation({ type: 'value_count', condition: { gte: 2 }, field: 'user' }),
      correlation({ type: 'temporal', rules: ['a', 'b'], condition: { gte: 2 } }),
      correlation({ type: 'temporal_ordered', rules: ['a', 'b'], condition: { gte: 2 } }),
      correlation({ type: 'event_count', condition: { lte: 2 } }),
    ];
    // A deterministic stream: five groups, bursts and gaps longer than the timespan.
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const inputs: { group: string; ts: number; slot: number; value: string }[] = [];
    let ts = 0;
    for (let i = 0; i < 3000; i++) {
      ts += next(10) === 0 ? 30_000 : next(4) * 500;
      inputs.push({ group: `g${next(5)}`, ts, slot: next(2), value: `u${next(3)}` });
    }
    const counts: number[] = [];
    const episodes: number[] = [];
    for (const rule of rules) {
      const plain = new Correlator(rule);
      const forgetful = new Correlator(rule);
      const a: CorrelationHit[] = [];
      const b: CorrelationHit[] = [];
      inputs.forEach((input, i) => {
        const x = { slots: [input.slot], ts: input.ts, eventIds: [i], group: [input.group], value: input.value };
        a.push(...plain.push(x));
        forgetful.forget(input.ts);
        b.push(...forgetful.push(x));
      });
      a.push(...plain.flush());
      b.push(...forgetful.flush());
      expect(b).toEqual(a);
      counts.push(a.length);
      episodes.push(new Set(a.map((h) => h.episode)).size);
    }
    // Not an empty comparison: every type fired, over many episodes (numbered past forgotten groups).
    expect(counts.every((n) => n >= 3)).toBe(true);
    expect(Math.max(...episodes)).toBeGreaterThan(20);
  });
});
