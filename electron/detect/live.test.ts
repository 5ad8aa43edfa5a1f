/**
 * Live detections give the alerts a full run gives over the same events: a generated scenario
 * (web, auth.log, syslog with every attacker of the built-in pack) is half imported as files and
 * half fed as a live source in batches, the files interleaved so that times arrive out of order.
 * At the end a full `runDetections` over the case must find exactly the alerts already stored.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatById } from '../../shared/parse/registry.ts';
import type { LineParser } from '../../shared/parse/types.ts';
import { getAlert, listAlerts } from '../engine/alerts.ts';
import { openCase, type CaseDb } from '../engine/case-db.ts';
import { EventWriter } from '../engine/event-writer.ts';
import { insertSource } from '../engine/sources.ts';
import { generateInTemp, type Generated } from '../gen/test-helpers.ts';
import { importPaths } from '../ingest/import.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveDetector } from './live.ts';
import { loadRules } from './load-rules.ts';
import { runDetections } from './run.ts';

const tempDir = useTempDir();
let generated: Generated;

beforeAll(async () => {
  generated = await generateInTemp({ scenario: 'mixed', lines: 9000, seed: 7 });
});
afterAll(() => generated.cleanup());

interface Batch {
  format: 'apache.access' | 'syslog';
  lines: string[];
}

/** The case with the first half of each file imported, and the second halves cut into batches, files taking turns. */
function prepare(batchLines: number): { c: CaseDb; batches: Batch[]; paths: string[] } {
  const dir = tempDir();
  const files = generated.lines;
  const halves: [string, Batch['format'], string[]][] = [];
  const paths: string[] = [];
  for (const [name, format] of [['access.log', 'apache.access'], ['auth.log', 'syslog'], ['syslog', 'syslog']] as const) {
    const lines = files[name] ?? [];
    const cut = Math.floor(lines.length / 2);
    const path = join(dir, name);
    writeFileSync(path, `${lines.slice(0, cut).join('\n')}\n`);
    paths.push(path);
    halves.push([name, format, lines.slice(cut)]);
  }
  const batches: Batch[] = [];
  for (let at = 0; halves.some(([, , rest]) => at < rest.length); at += batchLines) {
    for (const [, format, rest] of halves) if (at < rest.length) batches.push({ format, lines: rest.slice(at, at + batchLines) });
  }
  const c = openCase(join(dir, 'case.loupe'), { create: true });
  return { c, batches, paths };
}

/** Alerts as the analyst sees them, without row ids and write times. */
function snapshot(c: CaseDb): unknown[] {
  return listAlerts(c.db, {}, 1_000_000)
    .map((a) => {
      const { id, createdAt: _c, updatedAt: _u, ...rest } = a;
      return { ...rest, eventIds: getAlert(c.db, id)?.eventIds };
    })
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function feedLive(c: CaseDb, batches: readonly Batch[], detector: LiveDetector, reference: number): Promise<void> {
  const sourceId = insertSource(c.db, {
    path: 'syslog+tcp://127.0.0.1:5514', name: 'live', size: 0, mtime: reference, compression: null, format: 'syslog.network',
    formatConfidence: null, formatForced: true, timezone: 'UTC', loupeVersion: 'test',
  });
  const writer = new EventWriter(c.db, sourceId);
  const parsers = new Map<string, LineParser>();
  let lineNo = 0;
  for (const batch of batches) {
    let parser = parsers.get(batch.format);
    if (!parser) {
      parser = (formatById(batch.format) as NonNullable<ReturnType<typeof formatById>>).create({ timezone: 'UTC', referenceTime: reference });
      parsers.set(batch.format, parser);
    }
    for (const text of batch.lines) {
      lineNo++;
      writer.write({ text, lineNo, offset: lineNo, byteLength: text.length, truncated: false, invalidBytes: null }, parser.parse(text));
    }
    writer.commit();
    detector.notify(c.db.prepare('SELECT max(id) FROM events').pluck().get() as number);
    detector.poll();
    await detector.idle();
  }
}

describe('LiveDetector', () => {
  const reference = Date.UTC(2026, 10, 24);

  for (const { title, batchLines, options } of [
    { title: 'times interleaved across files, late matches rebuilding the correlations', batchLines: 150, options: { latenessMs: 0, rebuildIntervalMs: 0 } },
    { title: 'rebuilds held back until the end, finished groups forgotten often', batchLines: 400, options: { latenessMs: 0, rebuildIntervalMs: 3_600_000, forgetEvery: 8 } },
    { title: 'every match waiting for a lateness delay longer than the feed', batchLines: 250, options: { latenessMs: 10 * 365 * 86_400_000 } },
  ]) {
    it(`stores the alerts a full run finds (${title})`, async () => {
      const { c, batches, paths } = prepare(batchLines);
      try {
        await importPaths(c, paths, { timezone: 'UTC' });
        const { set } = loadRules();
        await runDetections(c, { ruleSet: set });
        const detector = new LiveDetector(c, set, { syncIntervalMs: 0, ...options });
        await detector.start();
        await feedLive(c, batches, detector, reference);
        const stats = await detector.finish();
        expect(stats.scannedId).toBe(c.db.prepare('SELECT max(id) FROM events').pluck().get());
        const live = snapshot(c);
        // The scenario's attackers are all there (not an empty comparison).
        expect(live.length).toBeGreaterThan(15);
        expect(new Set(live.map((a) => (a as { rule: { kind: string } }).rule.kind))).toEqual(new Set(['detection', 'correlation']));

        const full = await runDetections(c, { ruleSet: set });
        expect({ added: full.stored.added, removed: full.stored.removed }).toEqual({ added: 0, removed: 0 });
        expect(snapshot(c)).toEqual(live);
        if (options.rebuildIntervalMs === 0) expect(stats.rebuilds).toBeGreaterThan(0);
      } finally {
        c.close();
      }
    }, 120_000);
  }

  it('lets the waiting matches of a quiet feed through once no match has come for the lateness delay', async () => {
    const c = openCase(join(tempDir(), 'case.loupe'), { create: true });
    try {
      const { set } = loadRules();
      let clock = Date.UTC(2026, 10, 21, 3, 20);
      const detector = new LiveDetector(c, set, { latenessMs: 5000, syncIntervalMs: 0, now: () => clock });
      await detector.start();
      const lines = Array.from({ length: 12 }, (_, i) => `Nov 21 03:15:${String(i).padStart(2, '0')} web01 sshd[20340]: Failed password for root from 198.51.100.23 port 38814 ssh2`);
      await feedLive(c, [{ format: 'syslog', lines }], detector, reference);
      const bruteForce = () => listAlerts(c.db).filter((a) => a.rule.title === 'SSH brute force from one address');
      // The feed's time is 03:15:11: what came after 03:15:06 waits for later matches.
      expect(detector.status().waiting).toBeGreaterThan(0);
      expect(bruteForce()).toEqual([]);
      clock += 4999;
      detector.poll();
      expect(bruteForce()).toEqual([]);
      clock += 1;
      detector.poll();
      expect(detector.status().waiting).toBe(0);
      expect(bruteForce()).toEqual([expect.objectContaining({ count: 12, entity: { type: 'ip', value: '198.51.100.23' } })]);
      // A match older than those let through comes after all: the correlations are rebuilt, the alert stays one.
      await feedLive(c, [{ format: 'syslog', lines: ['Nov 21 03:14:59 web01 sshd[20340]: Failed password for root from 198.51.100.23 port 38814 ssh2'] }], detector, reference);
      const stats = await detector.finish();
      expect(stats.lateMatches).toBeGreaterThan(0);
      expect(bruteForce()).toEqual([expect.objectContaining({ count: 13 })]);
      const full = await runDetections(c, { ruleSet: set });
      expect({ added: full.stored.added, removed: full.stored.removed }).toEqual({ added: 0, removed: 0 });
    } finally {
      c.close();
    }
  });

  it('holds a match stamped ahead of the wall clock until the clock reaches it, so one fast sender does not make every other match late', async () => {
    const c = openCase(join(tempDir(), 'case.loupe'), { create: true });
    try {
      const { set } = loadRules();
      let clock = Date.UTC(2026, 10, 21, 3, 20);
      const detector = new LiveDetector(c, set, { latenessMs: 5000, syncIntervalMs: 0, rebuildIntervalMs: 0, now: () => clock });
      await detector.start();
      const failure = (time: string, ip: string) => `Nov 21 ${time} web01 sshd[20340]: Failed password for root from ${ip} port 38814 ssh2`;
      // A sender whose clock is an hour fast, then a quiet feed.
      await feedLive(c, [{ format: 'syslog', lines: [failure('04:20:00', '203.0.113.9')] }], detector, reference);
      clock += 5000;
      detector.poll();
      // Its matches (one per rule that reads a failed login) wait for the clock.
      const held = detector.status().waiting;
      expect(held).toBeGreaterThan(0);
      // A sender on time: its matches are not late, nothing is rebuilt, and its brute force alerts once quiet.
      await feedLive(c, [{ format: 'syslog', lines: Array.from({ length: 12 }, (_, i) => failure(`03:15:${String(i).padStart(2, '0')}`, '198.51.100.23')) }], detector, reference);
      clock += 5000;
      detector.poll();
      expect(listAlerts(c.db).filter((a) => a.rule.title === 'SSH brute force from one address'))
        .toEqual([expect.objectContaining({ count: 12, entity: { type: 'ip', value: '198.51.100.23' } })]);
      expect(detector.status().waiting).toBe(held);
      const stats = await detector.finish();
      expect({ lateMatches: stats.lateMatches, rebuilds: stats.rebuilds }).toEqual({ lateMatches: 0, rebuilds: 0 });
      const full = await runDetections(c, { ruleSet: set });
      expect({ added: full.stored.added, removed: full.stored.removed }).toEqual({ added: 0, removed: 0 });
    } finally {
      c.close();
    }
  });

  it('keeps an alert\'s triage while live events add to it', async () => {
    const { c, batches, paths } = prepare(300);
    try {
      await importPaths(c, paths, { timezone: 'UTC' });
      const { set } = loadRules();
      const detector = new LiveDetector(c, set, { syncIntervalMs: 0, latenessMs: 0 });
      await detector.start();
      const before = listAlerts(c.db, {}, 1_000_000);
      const target = before.find((a) => a.rule.kind === 'detection' && a.entity.type === 'ip') ?? before[0];
      expect(target).toBeDefined();
      c.db.prepare("UPDATE alerts SET status = 'confirmed', note = 'seen' WHERE id = ?").run(target?.id);
      await feedLive(c, batches, detector, reference);
      await detector.finish();
      const after = getAlert(c.db, target?.id as number);
      expect(after).toMatchObject({ status: 'confirmed', note: 'seen' });
      expect(after?.count).toBeGreaterThanOrEqual(target?.count ?? 0);
    } finally {
      c.close();
    }
  }, 120_000);
});
