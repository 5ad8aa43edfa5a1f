/**
 * Rules that ask whether an address is on an imported list, over a real case: the runner matches
 * the case's addresses against the lists first, the SQL prefilter keeps the listed addresses'
 * events (by an index lookup per row), and the alerts say which list.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ruleSetFrom } from '../../shared/sigma/test-support.ts';
import { importList, removeList } from '../intel/lists.ts';
import { access, importMore, intelCase, sshFail } from '../test/intel-case.ts';
import { useTempDir } from '../test/temp.ts';
import { prepareIpLists, runDetections } from './run.ts';
import { scanEvents, scanStatements } from './scan.ts';

const tempDir = useTempDir();

const LISTED = '45.83.64.17';

async function listedCase() {
  const dir = tempDir();
  const c = await intelCase(dir, {
    'access.log': [access(LISTED), access('10.0.0.5'), access(LISTED, 3, '/wp-login.php'), access('::ffff:45.83.65.9', 4)],
    'auth.log': [sshFail(LISTED), sshFail('198.51.100.23', 1)],
  });
  writeFileSync(join(dir, 'firehol_level1.netset'), '# This File Date  : Sun Nov 22 21:49:03 UTC 2026\n45.83.64.0/22\n');
  return { dir, c };
}

/** A web rule on the client address being on the lists `pattern` names (as written in Sigma YAML). */
function listRule(pattern: string) {
  return ruleSetFrom(`title: listed
id: l1
logsource: { category: webserver }
detection:
  sel: { c-ip|iplist: ${pattern} }
  condition: sel
`);
}

describe('iplist rules over a case', () => {
  it('the built-in pack alerts on every listed source address, saying which list', async () => {
    const { dir, c } = await listedCase();
    expect((await runDetections(c)).alerts.filter((a) => a.rule.title.includes('blocklist'))).toEqual([]);
    importList(c, join(dir, 'firehol_level1.netset'));
    const alerts = (await runDetections(c)).alerts.filter((a) => a.rule.title.includes('blocklist'));
    expect(alerts.map((a) => [a.rule.title, a.entity.value, a.count]).sort()).toEqual([
      ['Login activity from an address on an imported blocklist', LISTED, 1],
      ['Web request from an address on an imported blocklist', LISTED, 2],
      ['Web request from an address on an imported blocklist', '::ffff:45.83.65.9', 1],
    ]);
    expect(alerts.find((a) => a.entity.value === '::ffff:45.83.65.9')?.why).toMatchObject({
      matches: [{ field: 'c-ip', values: ['::ffff:45.83.65.9 (on firehol_level1)'] }],
    });
    c.close();
  });

  it('sees addresses added after the list, and forgets a removed list', async () => {
    const { dir, c } = await listedCase();
    importList(c, join(dir, 'firehol_level1.netset'));
    await runDetections(c);
    await importMore(c, dir, { 'later.log': [access('45.83.67.1', 9)] });
    const after = (await runDetections(c)).alerts.filter((a) => a.rule.title.startsWith('Web request from'));
    expect(after.map((a) => a.entity.value).sort()).toEqual(['45.83.64.17', '45.83.67.1', '::ffff:45.83.65.9']);
    removeList(c, 'firehol_level1');
    expect((await runDetections(c)).alerts.filter((a) => a.rule.title.includes('blocklist'))).toEqual([]);
    c.close();
  });

  it('finds listed addresses stored after the case\'s addresses were gathered (a live feed)', async () => {
    const { dir, c } = await listedCase();
    importList(c, join(dir, 'firehol_level1.netset'));
    const set = listRule('firehol_level1');
    const ipLists = prepareIpLists(c, set.detections);
    expect(ipLists).toBeDefined();
    await importMore(c, dir, { 'live.log': [access('45.83.66.6', 30)] });
    const found = await scanEvents(c, set.detections, [], { ...(ipLists ? { ipLists } : {}) });
    expect([...found.values()].flat().map((m) => m.event.srcIp)).toEqual([LISTED, LISTED, '::ffff:45.83.65.9', '45.83.66.6']);
    c.close();
  });

  it('reads no event for list rules when the case has no list', async () => {
    const { c } = await listedCase();
    const set = listRule("'*'");
    const [st] = scanStatements(set.detections);
    expect(c.db.prepare(st?.sql ?? '').all(0, 1e9, ...(st?.params ?? []))).toEqual([]);
    c.close();
  });

  it('names lists by pattern, and the prefilter narrows the scan to listed addresses by an index lookup', async () => {
    const { dir, c } = await listedCase();
    importList(c, join(dir, 'firehol_level1.netset'));
    writeFileSync(join(dir, 'mine.txt'), '10.0.0.5\n');
    importList(c, join(dir, 'mine.txt'), { name: 'internal-watch', date: Date.UTC(2026, 10, 1) });
    const set = listRule("'INTERNAL-*'");
    const r = await runDetections(c, { ruleSet: set });
    expect(r.alerts.map((a) => [a.entity.value, a.count])).toEqual([['10.0.0.5', 1]]);
    const [st] = scanStatements(set.detections);
    expect(st?.sql).toContain('EXISTS (SELECT 1 FROM intel_list_hits');
    const plan = (c.db.prepare(`EXPLAIN QUERY PLAN ${st?.sql}`).all(0, 1e9, ...(st?.params ?? [])) as { detail: string }[]).map((p) => p.detail).join('\n');
    expect(plan).toMatch(/SEARCH h USING (COVERING )?INDEX intel_list_hits_by_ip \(ip=\?/);
    c.close();
  });
});
