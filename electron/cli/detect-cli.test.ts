import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { runCli } from '../test/cli.ts';

const tempDir = useTempDir();
const BIN = new URL('../../bin/loupe.mjs', import.meta.url).pathname;

const run = runCli;

const ACCESS = [
  '203.0.113.9 - - [21/Nov/2026:02:14:00 +0000] "GET /?q=%1b[31m HTTP/1.1" 404 10 "-" "sqlmap/1.8 \\x1b]0;owned\\x07"',
  '198.51.100.20 - - [21/Nov/2026:02:14:01 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
  '203.0.113.9 - - [21/Nov/2026:02:14:02 +0000] "GET /x HTTP/1.1" 404 10 "-" "sqlmap/1.8"',
].join('\n');

const RULES = `title: Scanner user agent
id: my-scanner
level: high
tags: [attack.reconnaissance, attack.t1595]
logsource: { category: webserver }
detection:
  sel: { cs-user-agent|contains: sqlmap }
  condition: sel
---
title: Windows thing
id: my-windows
logsource: { product: windows, category: process_creation }
detection:
  sel: { Image|endswith: '\\\\evil.exe' }
  condition: sel
`;

async function importedCase(): Promise<{ dir: string; casePath: string; rules: string }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'access.log'), `${ACCESS}\n`);
  const rules = join(dir, 'mine.yml');
  writeFileSync(rules, RULES);
  const casePath = join(dir, 'case.loupe');
  const imported = await run('import', casePath, join(dir, 'access.log'), '--no-detect', '--json');
  expect(imported.code).toBe(0);
  expect(JSON.parse(imported.out)).toMatchObject({ detections: null });
  return { dir, casePath, rules };
}

interface AlertJson {
  id: number; rule: { id: string; title: string; level: string; tags: string[] }; entity: { type: string; value: string };
  count: number; first: string; last: string; eventIds: number[]; why: { selections: string[] }; status: string; note: string | null;
}

describe('loupe detect, alerts, triage', () => {
  it('detect --json gives the alerts and every rule, loaded or skipped with the reason', async () => {
    const { casePath, rules } = await importedCase();
    const r = await run('detect', casePath, '--rules', rules, '--no-builtin', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { alerts: AlertJson[]; rules: { id: string; title: string; file: string; status: string; reason?: string }[] };
    expect(json.rules).toEqual([
      expect.objectContaining({ id: 'my-scanner', title: 'Scanner user agent', file: rules, status: 'loaded' }),
      expect.objectContaining({ id: 'my-windows', status: 'skipped', reason: expect.stringMatching(/product: windows, category: process_creation is not supported/) }),
    ]);
    expect(json.alerts).toEqual([expect.objectContaining({
      rule: expect.objectContaining({ id: 'my-scanner', title: 'Scanner user agent', level: 'high', tags: ['attack.reconnaissance', 'attack.t1595'] }),
      entity: { type: 'ip', value: '203.0.113.9' }, count: 2, first: '2026-11-21T02:14:00.000Z', last: '2026-11-21T02:14:02.000Z',
      eventIds: [1, 3], status: 'open', why: expect.objectContaining({ selections: ['sel'] }),
    })]);
  });

  it('prints the rules and alerts as text, without passing control characters to the terminal', async () => {
    const { casePath, rules } = await importedCase();
    const r = await run('detect', casePath, '--rules', rules);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Rules: \d+ loaded, 1 skipped$/m);
    expect(r.out).toMatch(/skipped "Windows thing" .*mine\.yml #2: logsource product: windows/);
    expect(r.out).toMatch(/loaded {2}"Scanner user agent"/);
    expect(r.out).toMatch(/#\d+ +high +Scanner user agent {2}ip 203\.0\.113\.9 {2}2 event\(s\) {2}2026-11-21T02:14:00\.000Z → 2026-11-21T02:14:02\.000Z/);
    const shown = await run('alerts', casePath, '--id', '1');
    expect(shown.out).not.toMatch(/\x1b/);
  });

  it('lists stored alerts and triages one, keeping the triage when detect runs again', async () => {
    const { casePath, rules } = await importedCase();
    await run('detect', casePath, '--rules', rules, '--no-builtin');
    const listed = JSON.parse((await run('alerts', casePath, '--json')).out) as AlertJson[];
    expect(listed).toHaveLength(1);
    const id = String(listed[0]?.id);
    const t = await run('triage', casePath, id, '--status', 'false-positive', '--note', 'our own scanner');
    expect(t).toMatchObject({ code: 0 });
    expect(t.out).toContain(`alert #${id} Scanner user agent: false-positive — our own scanner`);
    await run('detect', casePath, '--rules', rules, '--no-builtin');
    const after = JSON.parse((await run('alerts', casePath, '--json')).out) as AlertJson[];
    expect(after[0]).toMatchObject({ id: Number(id), status: 'false-positive', note: 'our own scanner' });
    expect(JSON.parse((await run('alerts', casePath, '--status', 'open', '--json')).out)).toEqual([]);
    const one = await run('alerts', casePath, '--id', id);
    expect(one.out).toMatch(/why {7}\{"kind":"detection"/);
    expect(one.out).toMatch(/events {4}2\n.*#1 .*sqlmap/);
  });

  it('says what is wrong, with exit 1 for a failure and 2 for a wrong command line', async () => {
    const { casePath, dir } = await importedCase();
    expect(await run('detect', casePath, '--rules', join(dir, 'nope.yml'))).toMatchObject({ code: 1, err: expect.stringMatching(/nope\.yml: no such rule file or folder/) });
    expect(await run('detect', join(dir, 'absent.loupe'))).toMatchObject({ code: 1, err: expect.stringMatching(/no such case file/) });
    expect(await run('detect')).toMatchObject({ code: 2 });
    expect(await run('detect', casePath, 'extra')).toMatchObject({ code: 2, err: expect.stringMatching(/one case file/) });
    expect(await run('triage', casePath, '99', '--status', 'confirmed')).toMatchObject({ code: 1, err: expect.stringMatching(/no alert 99/) });
    expect(await run('triage', casePath, '1', '--status', 'triaged')).toMatchObject({ code: 2, err: expect.stringMatching(/"triaged" is not one of open, confirmed, false-positive/) });
    expect(await run('triage', casePath, '1')).toMatchObject({ code: 2, err: expect.stringMatching(/needs --status/) });
    expect(await run('alerts', casePath, '--level', 'severe')).toMatchObject({ code: 2 });
    expect(await run('alerts', casePath, '--id', '7')).toMatchObject({ code: 1, err: expect.stringMatching(/no alert 7/) });
  });

  it('runs the built-in rules after an import and says how many alerts they raised', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'access.log'), `${ACCESS}\n`);
    const casePath = join(dir, 'case.loupe');
    const r = await run('import', casePath, join(dir, 'access.log'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\d+ alert\(s\), \d+ new, from \d+ rules in [\d.]+ s \(loupe alerts .*case\.loupe lists them\)$/m);
    const json = await run('import', casePath, join(dir, 'access.log'), '--json');
    // Nothing new was imported, so nothing ran.
    expect(JSON.parse(json.out)).toMatchObject({ detections: null });
  });

  it('runs as `loupe detect` from the command line', async () => {
    const { casePath, rules } = await importedCase();
    const out = execFileSync(process.execPath, [BIN, 'detect', casePath, '--rules', rules, '--no-builtin', '--json'], { encoding: 'utf8' });
    expect((JSON.parse(out) as { alerts: unknown[] }).alerts).toHaveLength(1);
  });
});
