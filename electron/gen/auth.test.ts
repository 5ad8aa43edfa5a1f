import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from './clock.ts';
import { attackers, benign, densest, generateInTemp, lineTime, SYSLOG, type Generated } from './test-helpers.ts';
import { HOST_ATTACK_CATEGORIES, type LogFileName } from './types.ts';

describe('auth scenario', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateInTemp({ scenario: 'auth', lines: 2000, seed: 5 });
  });
  afterAll(() => g.cleanup());

  const lines = (file: LogFileName): string[] => g.lines[file] ?? [];

  it('splits the requested lines between auth.log and syslog, every line RFC 3164 and ASCII', () => {
    const auth = lines('auth.log');
    const syslog = lines('syslog');
    expect(auth.length + syslog.length).toBe(2000);
    expect(g.truth.lines).toEqual({ 'auth.log': auth.length, syslog: syslog.length });
    for (const line of [...auth, ...syslog]) expect(line).toMatch(SYSLOG);
    expect(`${g.text['auth.log']}${g.text.syslog}`).toMatch(/^[\x20-\x7e\n]*$/);
  });

  it('keeps each file in time order', () => {
    for (const file of ['auth.log', 'syslog'] as const) {
      let last = 0;
      for (const line of lines(file)) {
        const t = lineTime(file, line);
        expect(t).toBeGreaterThanOrEqual(last);
        last = t;
      }
    }
  });

  it('has every host attack category, even at 2000 lines', () => {
    const categories = new Set(attackers(g.truth).map((a) => a.category));
    for (const category of HOST_ATTACK_CATEGORIES) expect(categories, category).toContain(category);
  });

  it('accounts for every line of every file, and attacker line numbers point at their lines', () => {
    for (const file of ['auth.log', 'syslog'] as const) {
      expect(g.truth.actors.reduce((sum, a) => sum + (a.files[file] ?? 0), 0)).toBe(lines(file).length);
    }
    for (const actor of attackers(g.truth)) {
      let total = 0;
      for (const [file, numbers] of Object.entries(actor.lineNumbers ?? {}) as [LogFileName, number[]][]) {
        expect(numbers).toHaveLength(actor.files[file] ?? -1);
        for (const n of numbers) expect(lines(file)[n - 1]).toBeDefined();
        total += numbers.length;
      }
      expect(total).toBe(actor.lines);
    }
  });

  it('tells each attack in the lines detections look for', () => {
    const of = (category: string): string => {
      const actor = g.truth.actors.find((a) => a.category === category);
      if (!actor) throw new Error(`no ${category}`);
      return Object.entries(actor.lineNumbers ?? {})
        .flatMap(([file, numbers]) => numbers.map((n) => lines(file as LogFileName)[n - 1])).join('\n');
    };
    expect(of('ssh-bruteforce').match(/Failed password for root from/g)?.length).toBeGreaterThanOrEqual(40);
    expect(of('ssh-password-spraying')).toMatch(/Invalid user \S+ from/);
    expect(of('ssh-password-spraying')).toMatch(/Failed password for invalid user/);
    expect(of('ssh-success-after-failures')).toMatch(/Failed password for deploy[\s\S]*Accepted password for deploy/);
    expect(of('ssh-invalid-user-enumeration')).not.toMatch(/Failed password/);
    expect(of('ssh-root-login')).toMatch(/Accepted password for root from/);
    expect(of('sudo-failure')).toMatch(/user NOT in sudoers/);
    expect(of('sudo-failure')).toMatch(/3 incorrect password attempts/);
    expect(of('account-created-privileged')).toMatch(/useradd\[\d+\]: new user: name=/);
    expect(of('account-created-privileged')).toMatch(/usermod\[\d+\]: add '\S+' to group 'sudo'/);
    expect(of('cron-persistence')).toMatch(/CRON\[\d+\]: \(root\) CMD \(curl .*\| bash\)/);
    expect(of('reverse-shell')).toMatch(/COMMAND=\/bin\/bash -c bash -i >& \/dev\/tcp\/[\d.]+\/\d+ 0>&1/);
    expect(of('log-tampering')).toMatch(/COMMAND=\/usr\/bin\/truncate -s 0 \/var\/log\/auth\.log/);
    expect(of('log-tampering')).toMatch(/systemd\[1\]: Stopped System Logging Service\./);
  });

  it('keeps benign actors clear of what detections look for', () => {
    const benignIps = new Set(benign(g.truth).map((a) => a.ip).filter((ip) => ip !== null));
    const failures = new Map<string, number[]>();
    for (const line of lines('auth.log')) {
      const m = /Failed password for (?:invalid user )?\S+ from (\S+)/.exec(line);
      if (m && benignIps.has(m[1] as string)) {
        failures.set(m[1] as string, [...(failures.get(m[1] as string) ?? []), lineTime('auth.log', line)]);
      }
    }
    for (const [ip, times] of failures) expect(densest(times, 10 * MINUTE), ip).toBeLessThanOrEqual(5);

    const attackerUsers = new Set(attackers(g.truth).flatMap((a) => a.users ?? []));
    const attackerLines = new Set<string>();
    for (const actor of attackers(g.truth)) {
      for (const [file, numbers] of Object.entries(actor.lineNumbers ?? {})) {
        for (const n of numbers) attackerLines.add(`${file}:${n}`);
      }
    }
    for (const file of ['auth.log', 'syslog'] as const) {
      lines(file).forEach((line, i) => {
        if (attackerLines.has(`${file}:${i + 1}`)) return;
        expect(line).not.toMatch(/NOT in sudoers|incorrect password attempts|useradd|usermod|\/dev\/tcp|truncate|auditctl|Stopped System Logging|crontab|curl|Invalid user|Accepted \w+ for root/);
        const sudoer = /sudo: +(\S+) : /.exec(line)?.[1];
        if (sudoer !== undefined) expect(attackerUsers.has(sudoer), line).toBe(false);
      });
    }
  });
});

describe('mixed scenario', () => {
  let g: Generated;
  beforeAll(async () => {
    g = await generateInTemp({ scenario: 'mixed', lines: 3000, seed: 9 });
  });
  afterAll(() => g.cleanup());

  it('writes all three files, totalling the requested lines', () => {
    const total = Object.values(g.truth.lines).reduce((a, b) => a + b, 0);
    expect(total).toBe(3000);
    expect(Object.keys(g.truth.lines).sort()).toEqual(['access.log', 'auth.log', 'syslog']);
    for (const [file, count] of Object.entries(g.truth.lines)) expect(g.lines[file as LogFileName]).toHaveLength(count);
  });

  it('has every attack category and keeps attacker and benign addresses apart', () => {
    const categories = new Set(attackers(g.truth).map((a) => a.category));
    expect(categories.size).toBe(17);
    const attackerIps = new Set(attackers(g.truth).map((a) => a.ip));
    for (const actor of benign(g.truth)) expect(attackerIps.has(actor.ip ?? '')).toBe(false);
  });

  it('reuses actors across files: the web scanner also enumerates SSH users', () => {
    const scanner = g.truth.actors.find((a) => a.id === 'web-scanner');
    const enumeration = g.truth.actors.find((a) => a.category === 'ssh-invalid-user-enumeration');
    expect(scanner?.ip).toBeDefined();
    expect(enumeration?.ip).toBe(scanner?.ip);
    const ids = g.truth.actors.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
