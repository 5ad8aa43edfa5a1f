/**
 * The built-in pack over a generated `mixed` scenario (web, auth.log and syslog of one host),
 * imported into a real case: every attacker in the ground truth is alerted by a rule of its
 * category, on its address or account and on lines the ground truth says it wrote; no benign
 * actor (address or account) is alerted at all.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { generateScenario, type GroundTruth, type GroundTruthActor } from '../gen/generate.ts';
import type { AttackCategory } from '../gen/types.ts';
import { ATTACK_CATEGORIES } from '../gen/types.ts';
import { importPaths } from '../ingest/import.ts';
import { useTempDir } from '../test/temp.ts';
import { runDetections, type DetectedAlert } from './run.ts';

/**
 * The rules that answer for each category of attacker (ids from resources/rules/). An attacker
 * counts as caught when one of them alerts on its address or one of its accounts.
 */
const CATCHERS: Record<AttackCategory, readonly string[]> = {
  'web-dir-bruteforce': [
    'ccd9b2a8-7bd3-48b0-9be1-6c525844de6a', // burst of client errors
    'a5a60276-f6b0-44e5-9088-db6a546b05d5', // many distinct missing paths
  ],
  'web-scanner-ua': ['016669ec-12b9-474b-8d43-e3a0518dcedc'],
  'web-sqli': ['a88b5ff0-5842-4300-ba71-c26843295fd2'],
  'web-xss': ['dc3fe386-b670-425d-b77c-a34863dc6d52'],
  'web-path-traversal': ['b96deb07-4229-481b-8b3c-f3662ec3f409'],
  'web-cmd-injection': ['19c3e829-b68a-4e76-bb62-ea8b69756086'],
  'web-log4shell': ['9803dab4-400f-4dbb-8859-d3d0dd35cfb8'],
  'ssh-bruteforce': ['d455f33f-cf81-42cc-9c03-bc8e32747f2a'],
  'ssh-password-spraying': ['622c6c0a-262e-4af4-9b1c-d4b141628421'],
  'ssh-success-after-failures': ['179eda0c-f9fb-4de2-abb0-9834b37cc92e'],
  'ssh-invalid-user-enumeration': ['38bf2c29-d9d9-4870-bc40-52cac2a986bf'],
  'ssh-root-login': ['0930682e-a16c-4c80-9fe8-4274a91a06ae'],
  'sudo-failure': [
    '2fd6aaa3-3e49-453c-9b87-c06d31756fbf', // not in sudoers
    '5bb173ef-d0a2-4ec5-b22a-6ecbe0a1fcbf', // sudo authentication failure
  ],
  'account-created-privileged': [
    '6c3699d5-50cd-4d39-9e7f-c2a010315532', // useradd
    '7ebf02a7-7d74-47a5-88a3-e68deedb9fe8', // useradd (auditd)
    '2af48de3-70f0-4d5c-8749-872a3f669f1a', // added to a privileged group
    'd1fd0181-c3e9-42bf-a508-22fbd59015dd', // privileged group through sudo
  ],
  'log-tampering': [
    'dfb22875-f673-41d2-86b8-887c1cc0d208', // logs wiped, auditing disabled through sudo
    '5af30fa3-37f5-4673-af4d-017f7f6448f2', // the same, from auditd
  ],
  'cron-persistence': [
    'fbcf052c-b11e-45d1-b6ed-c80585116b60', // crontab replaced
    'd3dbd8c5-db87-47f0-b09d-23e627fbe6f6', // cron job through sudo
    '2671929f-98a7-45c2-b411-4f5ec40c43f0', // cron job (auditd)
    '60f5042c-fe38-455a-8dce-74835f633768', // download and execute in a cron job
    'd37b6f48-373a-4f30-9e13-59efbb7fd1b6', // reverse shell in a cron job
  ],
  'reverse-shell': [
    'bacf93f3-316d-4976-b676-711bf5ff12d1', // through sudo
    'd37b6f48-373a-4f30-9e13-59efbb7fd1b6', // in a cron job
    'f4502866-a7a2-4527-b4b6-aafe769d105c', // auditd
  ],
};

/** What identifies an actor in alerts: its address and the accounts it uses. */
function entitiesOf(actor: GroundTruthActor): string[] {
  return [...(actor.ip === null ? [] : [actor.ip]), ...(actor.users ?? [])];
}

describe.each([{ seed: 20261128, lines: 30_000 }, { seed: 7, lines: 20_000 }])(
  'built-in rules on a generated mixed scenario (seed $seed, $lines lines)',
  ({ seed, lines }) => {
    const tempDir = useTempDir();
    let truth: GroundTruth;
    let alerts: DetectedAlert[];
    /** Event id → `file:line` of every event an alert links. */
    let lineOf: Map<number, string>;

    beforeAll(async () => {
      const dir = tempDir();
      const logs = join(dir, 'logs');
      truth = await generateScenario({ scenario: 'mixed', lines, seed, outDir: logs });
      const c = openCase(join(dir, 'scenario.loupe'), { create: true });
      try {
        const files = readdirSync(logs).filter((f) => f !== 'ground-truth.json').map((f) => join(logs, f));
        const imported = await importPaths(c, files);
        expect(imported.lines).toBe(lines);
        alerts = (await runDetections(c)).alerts;
        const where = c.db.prepare('SELECT s.path, e.line_no FROM events e JOIN sources s ON s.id = e.source_id WHERE e.id = ?');
        lineOf = new Map();
        for (const id of new Set(alerts.flatMap((a) => a.eventIds))) {
          const row = where.get(id) as { path: string; line_no: number };
          lineOf.set(id, `${basename(row.path)}:${row.line_no}`);
        }
      } finally {
        c.close();
      }
    });

    it('maps every attack category the generator knows to rules', () => {
      expect(Object.keys(CATCHERS).sort()).toEqual([...ATTACK_CATEGORIES].sort());
    });

    it('alerts on every attacker in its category', () => {
      const attackers = truth.actors.filter((a) => a.kind === 'attacker');
      expect(attackers.length).toBeGreaterThan(15);
      const missed = attackers.filter((actor) => {
        const rules = CATCHERS[actor.category as AttackCategory];
        const who = entitiesOf(actor);
        const lines = new Set(Object.entries(actor.lineNumbers ?? {}).flatMap(([file, ns]) => ns.map((n) => `${file}:${n}`)));
        return !alerts.some((a) => rules.includes(a.rule.id) && who.includes(a.entity.value)
          && a.eventIds.some((id) => lines.has(lineOf.get(id) ?? '')));
      }).map((a) => `${a.id} (${a.category}, ${entitiesOf(a).join(', ')})`);
      expect(missed).toEqual([]);
    });

    it('raises no alert on any benign address or account', () => {
      const benign = new Set(truth.actors.filter((a) => a.kind === 'benign').flatMap(entitiesOf));
      expect(benign.size).toBeGreaterThan(20);
      const wrong = alerts.filter((a) => benign.has(a.entity.value))
        .map((a) => `${a.rule.title} on ${a.entity.type} ${a.entity.value} (${a.count} events)`);
      expect(wrong).toEqual([]);
    });
  },
);
