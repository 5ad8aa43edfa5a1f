import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from './clock.ts';
import { attackers, benign, COMBINED, densest, generateInTemp, lineTime, type Generated } from './test-helpers.ts';
import { WEB_ATTACK_CATEGORIES } from './types.ts';

/** What no benign request may carry: the substrings web detections look for. */
const URL_MARKERS = /'|%27|<|%3C|\.\.|%2e%2e|\$\{|%24%7B|;|%3B|\||%7C|\$\(|`|UNION|SELECT|jndi|script|onerror|javascript:|etc\/passwd/i;
const UA_MARKERS = /\$\{|jndi|<|sqlmap|nikto|gobuster|nmap|zgrab|masscan|wfuzz|nuclei|whatweb|wapiti|Fuzz Faster|curl|python-requests|Go-http-client|DirBuster|feroxbuster/i;

describe('web scenario', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateInTemp({ scenario: 'web', lines: 2000, seed: 7 });
  });
  afterAll(() => g.cleanup());

  const access = (): string[] => g.lines['access.log'] ?? [];

  it('writes exactly the requested number of lines, all in combined format and ASCII', () => {
    expect(access()).toHaveLength(2000);
    expect(g.truth.lines).toEqual({ 'access.log': 2000 });
    for (const line of access()) expect(line).toMatch(COMBINED);
    expect(g.text['access.log']).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('keeps lines in time order inside the period', () => {
    const start = Date.parse(g.truth.start);
    const end = Date.parse(g.truth.end);
    let last = start;
    for (const line of access()) {
      const t = lineTime('access.log', line);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(last).toBeLessThan(end);
  });

  it('has every web attack category, even at 2000 lines', () => {
    const categories = new Set(attackers(g.truth).map((a) => a.category));
    for (const category of WEB_ATTACK_CATEGORIES) expect(categories, category).toContain(category);
  });

  it('accounts for every line: actor counts sum to the file, attacker line numbers point at their requests', () => {
    expect(g.truth.actors.reduce((sum, a) => sum + a.lines, 0)).toBe(2000);
    for (const actor of attackers(g.truth)) {
      const numbers = actor.lineNumbers?.['access.log'] ?? [];
      expect(numbers).toHaveLength(actor.lines);
      for (const n of numbers) expect(access()[n - 1]?.startsWith(`${actor.ip} `)).toBe(true);
      const all = access().filter((line) => line.startsWith(`${actor.ip} `)).length;
      expect(all, `${actor.id} owns every line of ${actor.ip}`).toBe(actor.lines);
    }
  });

  it('keeps attacks a small share and the brute-forcer a burst of 404s', () => {
    const attackLines = attackers(g.truth).reduce((sum, a) => sum + a.lines, 0);
    expect(attackLines / 2000).toBeLessThan(0.15);
    const brute = g.truth.actors.find((a) => a.category === 'web-dir-bruteforce');
    expect(brute).toBeDefined();
    const times = access().filter((l) => l.startsWith(`${brute?.ip} `) && COMBINED.exec(l)?.[11] === '404')
      .map((l) => lineTime('access.log', l));
    expect(densest(times, 10 * MINUTE)).toBeGreaterThanOrEqual(100);
  });

  it('gives benign actors nothing that looks like an attack', () => {
    const benignIps = new Set(benign(g.truth).map((a) => a.ip));
    const errors = new Map<string, number[]>();
    for (const line of access()) {
      const m = COMBINED.exec(line);
      if (!m || !benignIps.has(m[1] as string)) continue;
      expect(m[10]).not.toMatch(URL_MARKERS);
      expect(m[13]).not.toMatch(URL_MARKERS);
      expect(m[14]).not.toMatch(UA_MARKERS);
      if (Number(m[11]) >= 400) errors.set(m[1] as string, [...(errors.get(m[1] as string) ?? []), lineTime('access.log', line)]);
    }
    for (const [ip, times] of errors) expect(densest(times, 10 * MINUTE), ip).toBeLessThanOrEqual(5);
  });

  it('attacker requests carry their payloads', () => {
    const byCategory = (category: string): string =>
      access().filter((l) => attackers(g.truth).some((a) => a.category === category && l.startsWith(`${a.ip} `))).join('\n');
    expect(byCategory('web-sqli')).toMatch(/UNION|OR(\+|%20| )1|SLEEP|%27|'/i);
    expect(byCategory('web-xss')).toMatch(/script|onerror|onload|javascript:|%3C/i);
    expect(byCategory('web-path-traversal')).toMatch(/\.\.|%2e%2e|php:\/\/filter|etc/i);
    expect(byCategory('web-cmd-injection')).toMatch(/;|%3B|\||%7C|\$\(|%24%28|`|%60/);
    expect(byCategory('web-log4shell')).toMatch(/\$\{jndi|%24%7Bjndi|\$\{\$\{/i);
  });
});

describe('determinism', () => {
  it('gives byte-identical output for the same seed and different output for another', async () => {
    const a = await generateInTemp({ scenario: 'web', lines: 1500, seed: 42 });
    const b = await generateInTemp({ scenario: 'web', lines: 1500, seed: 42 });
    const c = await generateInTemp({ scenario: 'web', lines: 1500, seed: 43 });
    try {
      expect(a.text['access.log']).toBe(b.text['access.log']);
      expect(JSON.stringify(a.truth)).toBe(JSON.stringify(b.truth));
      expect(c.text['access.log']).not.toBe(a.text['access.log']);
    } finally {
      a.cleanup();
      b.cleanup();
      c.cleanup();
    }
  });

  it('honours --start and --days', async () => {
    const g = await generateInTemp({ scenario: 'web', lines: 800, seed: 1, start: '2025-02-03T12:00:00Z', days: 1 });
    try {
      expect(g.truth.start).toBe('2025-02-03T12:00:00Z');
      expect(g.truth.end).toBe('2025-02-04T12:00:00Z');
      const times = (g.lines['access.log'] ?? []).map((l) => lineTime('access.log', l));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse(g.truth.start));
      expect(Math.max(...times)).toBeLessThan(Date.parse(g.truth.end));
    } finally {
      g.cleanup();
    }
  });
});
