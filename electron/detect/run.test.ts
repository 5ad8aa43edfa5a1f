import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudit } from '../engine/audit.ts';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import { getAlert, listAlerts, setAlertTriage } from '../engine/alerts.ts';
import { importPaths } from '../ingest/import.ts';
import { useTempDir } from '../test/temp.ts';
import { detectAfterImport } from './after-import.ts';
import { runDetections, type DetectedAlert } from './run.ts';
import { DetectionCancelled, scanStatements } from './scan.ts';
import { loadRules } from './load-rules.ts';

const tempDir = useTempDir();

const AUTH = [
  'Nov 21 03:14:00 web01 sshd[21400]: Failed password for root from 203.0.113.5 port 48000 ssh2',
  'Nov 21 03:14:03 web01 sshd[21400]: Failed password for admin from 203.0.113.5 port 48000 ssh2',
  'Nov 21 03:14:06 web01 sshd[21400]: Failed password for root from 198.51.100.7 port 48000 ssh2',
  'Nov 21 03:14:09 web01 sshd[21400]: Failed password for oracle from 203.0.113.5 port 48000 ssh2',
  'Nov 21 03:15:05 web01 sshd[21402]: Accepted password for deploy from 203.0.113.5 port 48120 ssh2',
  'Nov 21 03:16:00 web01 sudo:      bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/cat /etc/shadow',
].join('\n');
const ACCESS = [
  '203.0.113.9 - - [21/Nov/2026:02:14:00 +0000] "GET /index.php?id=1%27%20UNION%20SELECT%201 HTTP/1.1" 200 512 "-" "sqlmap/1.8"',
  '198.51.100.20 - - [21/Nov/2026:02:14:01 +0000] "GET / HTTP/1.1" 200 5120 "-" "Mozilla/5.0"',
  '203.0.113.9 - - [21/Nov/2026:02:14:02 +0000] "GET /x HTTP/1.1" 404 10 "-" "sqlmap/1.8"',
].join('\n');

const RULES = `title: Failed SSH password
id: ssh-fail
name: ssh_fail
level: informational
logsource: { product: linux, service: sshd }
detection:
  sel: { event.action: login, event.outcome: failure }
  condition: sel
---
title: Password spraying
id: ssh-spray
level: high
tags: [attack.credential-access, attack.t1110.003]
correlation:
  type: value_count
  rules: [ssh_fail]
  group-by: [source.ip]
  timespan: 10m
  condition: { gte: 3, field: user.name }
---
title: Not in sudoers
id: sudo-refused
level: medium
author: Test
logsource: { product: linux, service: sudo }
detection:
  sel: { event.reason: not in sudoers }
  condition: sel
---
title: Scanner user agent
id: web-scanner
level: high
modified: 2026-11-20
tags: [attack.reconnaissance, attack.t1595]
logsource: { category: webserver }
detection:
  sel: { cs-user-agent|contains: sqlmap }
  condition: sel
---
title: SQL injection
id: web-sqli
level: critical
logsource: { category: webserver }
detection:
  union:
    cs-uri-query|re|i: 'union(%20|\\+|\\s)+select'
  condition: union
`;

async function caseWithLogs(rules = RULES): Promise<{ c: CaseDb; rulesFile: string; dir: string }> {
  const dir = tempDir();
  writeFileSync(join(dir, 'auth.log'), `${AUTH}\n`);
  writeFileSync(join(dir, 'access.log'), `${ACCESS}\n`);
  const rulesFile = join(dir, 'rules.yml');
  writeFileSync(rulesFile, rules);
  const c = openCase(join(dir, 'case.loupe'), { create: true });
  await importPaths(c, [join(dir, 'auth.log'), join(dir, 'access.log')], { timezone: 'UTC' });
  return { c, rulesFile, dir };
}

const byRule = (alerts: readonly DetectedAlert[], id: string): DetectedAlert[] => alerts.filter((a) => a.rule.id === id);

describe('runDetections', () => {
  it('raises alerts per rule and entity, linked to their events and saying why', async () => {
    const { c, rulesFile } = await caseWithLogs();
    const result = await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    expect(result.rules.map((r) => [r.id, r.status])).toEqual([
      ['ssh-fail', 'loaded'], ['ssh-spray', 'loaded'], ['sudo-refused', 'loaded'], ['web-scanner', 'loaded'], ['web-sqli', 'loaded'],
    ]);
    expect(result.alerts.map((a) => `${a.rule.level} ${a.rule.id} ${a.entity.type}:${a.entity.value} ${a.count}`)).toEqual([
      'critical web-sqli ip:203.0.113.9 1',
      'high web-scanner ip:203.0.113.9 2',
      'high ssh-spray ip:203.0.113.5 3',
      'medium sudo-refused user:bob 1',
    ]);
    const [scanner] = byRule(result.alerts, 'web-scanner');
    expect(scanner).toMatchObject({
      rule: { title: 'Scanner user agent', tags: ['attack.reconnaissance', 'attack.t1595'], version: '2026-11-20', kind: 'detection' },
      first: Date.UTC(2026, 10, 21, 2, 14, 0), last: Date.UTC(2026, 10, 21, 2, 14, 2), status: 'open',
      why: { kind: 'detection', condition: 'sel', selections: ['sel'], matches: [{ field: 'cs-user-agent', values: ['sqlmap/1.8'] }] },
    });
    const events = c.db.prepare('SELECT raw FROM events WHERE id IN (SELECT event_id FROM alert_events WHERE alert_id = ?) ORDER BY id').pluck().all(scanner?.id) as string[];
    expect(events).toEqual([expect.stringContaining('UNION'), expect.stringContaining('GET /x')]);
    expect(getAlert(c.db, scanner!.id)?.eventIds).toEqual(scanner?.eventIds);

    const [spray] = byRule(result.alerts, 'ssh-spray');
    expect(spray?.why).toEqual({
      kind: 'correlation', type: 'value_count', timespan: '10m', condition: { gte: 3, field: 'user.name' },
      groupBy: { 'source.ip': '203.0.113.5' }, count: 3, values: ['root', 'admin', 'oracle'],
      rules: [{ id: 'ssh-fail', title: 'Failed SSH password', selections: ['sel'], matches: [{ field: 'event.action', values: ['login'] }, { field: 'event.outcome', values: ['failure'] }] }],
    });
    expect(spray?.rule.kind).toBe('correlation');
    // The base rule feeds the correlation only; the other address tried one account.
    expect(byRule(result.alerts, 'ssh-fail')).toEqual([]);
    expect(readAudit(c.db).filter((a) => a.action === 'detections-run').map((a) => a.detail)).toEqual([
      { rulesLoaded: 5, rulesSkipped: 0, alerts: 4, added: 4, updated: 0, removed: 0, kept: 0 },
    ]);
    c.close();
  });

  it('keeps the triage of alerts found again when it runs again, and drops open alerts of removed rules', async () => {
    const { c, rulesFile } = await caseWithLogs();
    const first = await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    const scanner = byRule(first.alerts, 'web-scanner')[0]!;
    const sqli = byRule(first.alerts, 'web-sqli')[0]!;
    setAlertTriage(c.db, scanner.id, 'confirmed', 'pentest? no: not scheduled');
    const again = await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    expect(again.stored).toMatchObject({ added: 0, updated: 4, removed: 0, kept: 0 });
    expect(byRule(again.alerts, 'web-scanner')[0]).toMatchObject({ id: scanner.id, status: 'confirmed', note: 'pentest? no: not scheduled' });
    writeFileSync(rulesFile, RULES.split('---\n').filter((d) => !d.includes('id: web-')).join('---\n'));
    const fewer = await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    expect(fewer.stored).toMatchObject({ removed: 1, kept: 1 });
    expect(getAlert(c.db, sqli.id)).toBeUndefined();
    expect(listAlerts(c.db).map((a) => a.rule.id).sort()).toEqual(['ssh-spray', 'sudo-refused', 'web-scanner']);
    c.close();
  });

  it('correlates rules of different log sources through aliases', async () => {
    const aliases = `${RULES}---
title: Scanner then SSH guessing
id: scan-then-ssh
level: critical
correlation:
  type: temporal_ordered
  rules: [web-scanner, ssh_fail]
  group-by: [attacker]
  timespan: 2h
  aliases:
    attacker:
      web-scanner: c-ip
      ssh_fail: source.ip
`;
    const { c, rulesFile, dir } = await caseWithLogs(aliases);
    writeFileSync(join(dir, 'more.log'), '203.0.113.5 - - [21/Nov/2026:02:30:00 +0000] "GET / HTTP/1.1" 200 1 "-" "sqlmap/1.9"\n');
    await importPaths(c, [join(dir, 'more.log')]);
    const result = await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    const [hit, ...others] = byRule(result.alerts, 'scan-then-ssh');
    expect(others).toEqual([]);
    expect(hit).toMatchObject({ entity: { type: 'ip', value: '203.0.113.5' }, why: { groupBy: { attacker: '203.0.113.5' } } });
    expect(hit?.count).toBe(4);
    // A rule a correlation uses raises no alerts of its own (Sigma's generate: false).
    expect(byRule(result.alerts, 'web-scanner')).toEqual([]);
    expect(result.rules.find((r) => r.id === 'web-scanner')?.note).toMatch(/feeds "Scanner then SSH guessing"/);
    c.close();
  });

  it('scans the case once for all rules, whatever their number', () => {
    const many = Array.from({ length: 40 }, (_, i) => `title: r${i}\nid: r${i}\nlogsource: { category: webserver }\ndetection:\n  s: { cs-uri|contains: 'x${i}' }\n  condition: s\n`).join('---\n');
    const dir = tempDir();
    writeFileSync(join(dir, 'many.yml'), many);
    const { set } = loadRules([join(dir, 'many.yml')], { builtin: false });
    expect(set.detections).toHaveLength(40);
    const statements = scanStatements(set.detections);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql.match(/FROM events/g)).toHaveLength(1);
  });

  it('stops when cancelled, leaving the alerts as they were', async () => {
    const { c, rulesFile } = await caseWithLogs();
    await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    const before = listAlerts(c.db);
    const abort = new AbortController();
    abort.abort();
    await expect(runDetections(c, { rulePaths: [rulesFile], builtin: false, signal: abort.signal })).rejects.toBeInstanceOf(DetectionCancelled);
    expect(listAlerts(c.db)).toEqual(before);
    c.close();
  });

  it('reports progress', async () => {
    const { c, rulesFile } = await caseWithLogs();
    const phases: string[] = [];
    await runDetections(c, { rulePaths: [rulesFile], builtin: false, onProgress: (p) => phases.push(p.phase) });
    expect([...new Set(phases)]).toEqual(['scanning', 'correlating', 'storing', 'done']);
    c.close();
  });

  it('after an import, runs the rules the case ran last, its own rule files included', async () => {
    const { c, rulesFile, dir } = await caseWithLogs();
    await runDetections(c, { rulePaths: [rulesFile], builtin: false });
    writeFileSync(join(dir, 'more.log'), '192.0.2.99 - - [21/Nov/2026:03:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "sqlmap/1.9"\n');
    const imported = await importPaths(c, [join(dir, 'more.log')]);
    const after = await detectAfterImport(c, imported);
    expect(after?.rules.map((r) => r.id)).toEqual(['ssh-fail', 'ssh-spray', 'sudo-refused', 'web-scanner', 'web-sqli']);
    expect(byRule(after?.alerts ?? [], 'web-scanner').map((a) => a.entity.value).sort()).toEqual(['192.0.2.99', '203.0.113.9']);
    c.close();
  });

  it('runs after an import that added events, not after one that did not', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'r.yml'), RULES);
    writeFileSync(join(dir, 'access.log'), `${ACCESS}\n`);
    const c = openCase(join(dir, 'case.loupe'), { create: true });
    const opts = { rulePaths: [join(dir, 'rules')], builtin: false };
    const imported = await importPaths(c, [join(dir, 'access.log')]);
    expect((await detectAfterImport(c, imported, opts))?.alerts.map((a) => a.rule.id)).toEqual(['web-sqli', 'web-scanner']);
    const again = await importPaths(c, [join(dir, 'access.log')]);
    expect(again.sources).toEqual([]);
    expect(await detectAfterImport(c, again, opts)).toBeUndefined();
    c.close();
  });
});
