import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importInWorker } from '../../../electron/ingest/run-import.ts';
import { IMPORT_WORKER_URL } from '../../fixtures/build-output.ts';
import { generateLogs, type GeneratedLogs } from '../../fixtures/generated.ts';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import type { CasePage } from '../../pages/case-page.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { FilterBarPage } from '../../pages/filter-bar.ts';
import { screenshotView } from '../../pages/screenshots.ts';

const LEVELS = ['critical', 'high', 'medium', 'low', 'informational'];

/** The evidence case with a generated intrusion added, imported and detected by the engine as the app does. */
async function caseWithIntrusion(casePage: CasePage, dir: string, casePath: string): Promise<GeneratedLogs> {
  const logs = await generateLogs(dir, { scenario: 'mixed', lines: 8_000, seed: 11 });
  await importInWorker(casePath, [logs.dir], {}, { workerUrl: IMPORT_WORKER_URL });
  await casePage.open(casePath);
  return logs;
}

/** An alert as the case file holds it, read beside the app. */
function alertFacts(casePath: string, id: number): { first: number; last: number; count: number } {
  const db = new Database(casePath, { readonly: true });
  try {
    return db.prepare('SELECT first_ts AS first, last_ts AS last, event_count AS count FROM alerts WHERE id = ?').get(id) as { first: number; last: number; count: number };
  } finally {
    db.close();
  }
}

function attackerIp(logs: GeneratedLogs, category: string): string {
  const actor = logs.truth.actors.find((a) => a.category === category && a.ip !== null);
  if (!actor?.ip) throw new Error(`the scenario has no ${category} attacker`);
  return actor.ip;
}

test.describe('the alerts view', () => {
  test.setTimeout(90_000);

  test('groups alerts by rule, level and entity, with counts', async ({ casePage, evidence, trouble }, testInfo) => {
    const logs = await caseWithIntrusion(casePage, evidence.dir, evidence.casePath);
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();

    const total = await alerts.rows.count();
    expect(total).toBeGreaterThan(3);
    await expect(casePage.openAlerts).toHaveText(String(total));
    await expect(alerts.showStatus('all')).toContainText(String(total));

    // By rule: one group per rule, each saying how many alerts it holds.
    const sqli = alerts.group('SQL injection');
    await expect(sqli).toHaveCount(1);
    const sqliRows = await sqli.getByTestId('alert-row').count();
    await expect(sqli.getByTestId('group-counts')).toContainText(`${sqliRows} alert`);
    await alerts.detailReady();
    await screenshotView(casePage.page, testInfo, 'alerts');

    // By level: the levels in order of severity.
    await alerts.groupBy('level').click();
    const levels = await alerts.groups.getByTestId('group-label').allTextContents();
    expect(levels.length).toBeGreaterThan(0);
    expect(levels).toEqual(LEVELS.filter((l) => levels.includes(l)));
    await expect(alerts.rows).toHaveCount(total);

    // By entity: the SQL injection attacker is one group.
    await alerts.groupBy('entity').click();
    await expect(alerts.group(attackerIp(logs, 'web-sqli'))).toHaveCount(1);
    await expect(alerts.rows).toHaveCount(total);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('a group of hundreds of alerts lists the first ones and shows the rest on demand', async ({ casePage, evidence, trouble }) => {
    // One SQL injection from each of 250 addresses: one alert per address, all in one rule's group.
    const lines = Array.from({ length: 250 }, (_, i) => {
      const ip = `198.51.${Math.floor(i / 200)}.${(i % 200) + 1}`;
      const at = `12/Mar/2026:10:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000`;
      return `${ip} - - [${at}] "GET /item.php?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1" 200 512 "-" "Mozilla/5.0"`;
    });
    const log = join(evidence.dir, 'campaign.log');
    writeFileSync(log, `${lines.join('\n')}\n`);
    await importInWorker(evidence.casePath, [log], {}, { workerUrl: IMPORT_WORKER_URL });
    await casePage.open(evidence.casePath);
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();

    const sqli = alerts.group('SQL injection');
    await expect(sqli.getByTestId('group-counts')).toContainText('250 alerts');
    await expect(sqli.getByTestId('alert-row')).toHaveCount(200);
    const more = sqli.getByTestId('alerts-show-more');
    await expect(more).toHaveText('Show 50 more of 50 hidden alerts');
    await more.click();
    await expect(sqli.getByTestId('alert-row')).toHaveCount(250);
    await expect(more).toHaveCount(0);
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('says why an alert fired: matched values for a rule, threshold and group for a correlation', async ({ casePage, evidence, trouble }) => {
    const logs = await caseWithIntrusion(casePage, evidence.dir, evidence.casePath);
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();
    await alerts.groupBy('rule').click();

    await alerts.group('SQL injection').getByTestId('alert-row').first().click();
    await alerts.detailReady();
    await expect(alerts.why).toHaveAttribute('data-kind', 'detection');
    await expect(alerts.whyMatches.first()).toBeVisible();
    await expect(alerts.tags).toContainText('T1190');
    await expect(alerts.events.first()).toBeVisible();

    await alerts.group('SSH brute force').getByTestId('alert-row').filter({ hasText: attackerIp(logs, 'ssh-bruteforce') }).first().click();
    await alerts.detailReady();
    await expect(alerts.why).toHaveAttribute('data-kind', 'correlation');
    await expect(alerts.why.getByTestId('why-threshold')).toContainText('≥ 10 matching events within 10m');
    await expect(alerts.why.getByTestId('why-threshold')).toContainText(`source.ip = ${attackerIp(logs, 'ssh-bruteforce')}`);
    await expect(alerts.tags).toContainText('Credential Access');
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('a triage shows at once and is still there after the case is opened again', async ({ casePage, evidence, trouble }) => {
    await caseWithIntrusion(casePage, evidence.dir, evidence.casePath);
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();
    const open = Number(await casePage.openAlerts.textContent());

    const row = alerts.group('SQL injection').getByTestId('alert-row').first();
    await row.click();
    const id = await row.getAttribute('data-alert-id');
    await alerts.statusButton('confirmed').click();
    await expect(alerts.row(id ?? '')).toHaveAttribute('data-status', 'confirmed');
    await expect(alerts.statusButton('confirmed')).toHaveAttribute('aria-pressed', 'true');
    await alerts.note.fill('Confirmed: sqlmap against /products; blocked at the WAF.');
    await alerts.saveNote.click();
    await expect(alerts.triage).toHaveAttribute('data-state', 'saved');
    await expect(casePage.openAlerts).toHaveText(String(open - 1));

    // The keyboard triages too: F marks the selected alert a false positive.
    await alerts.rowsWithStatus('open').first().click();
    await casePage.page.keyboard.press('f');
    await expect(casePage.openAlerts).toHaveText(String(open - 2));

    await casePage.open(evidence.casePath);
    await casePage.show('alerts');
    await alerts.ready();
    await alerts.row(id ?? '').click();
    await expect(alerts.row(id ?? '')).toHaveAttribute('data-status', 'confirmed');
    await expect(alerts.statusButton('confirmed')).toHaveAttribute('aria-pressed', 'true');
    await expect(alerts.note).toHaveValue('Confirmed: sqlmap against /products; blocked at the WAF.');
    await expect(casePage.openAlerts).toHaveText(String(open - 2));
    expect(trouble).toEqual(NO_TROUBLE);
  });

  test('a triage the case refuses is put back, and the reason shown', async ({ casePage, evidence, trouble }) => {
    await caseWithIntrusion(casePage, evidence.dir, evidence.casePath);
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();
    const row = alerts.group('SQL injection').getByTestId('alert-row').first();
    await row.click();
    const id = Number(await row.getAttribute('data-alert-id'));

    // Someone else removes the alert from the case file behind the window's back.
    const db = new Database(evidence.casePath);
    try {
      db.transaction(() => {
        db.prepare('DELETE FROM alert_events WHERE alert_id = ?').run(id);
        db.prepare('DELETE FROM alerts WHERE id = ?').run(id);
      })();
    } finally {
      db.close();
    }
    await alerts.statusButton('false-positive').click();
    await expect(alerts.triageError).toHaveText(`Not saved: no alert ${id} in this case`);
    await expect(alerts.row(id)).toHaveAttribute('data-status', 'open');
    await expect(alerts.statusButton('open')).toHaveAttribute('aria-pressed', 'true');
    // The dispatcher logs the refused call; nothing reached the page but the message.
    expect(trouble.mainLog).toEqual([expect.stringMatching(new RegExp(`^alerts:set-status failed: .*no alert ${id} in this case`))]);
    expect({ ...trouble, mainLog: [] }).toEqual(NO_TROUBLE);
  });

  test('jumps to the contributing events on the grid and on the timeline, and pivots on the entity', async ({ casePage, evidence, trouble }) => {
    const logs = await caseWithIntrusion(casePage, evidence.dir, evidence.casePath);
    await casePage.show('alerts');
    const alerts = casePage.alerts;
    await alerts.ready();
    const ip = attackerIp(logs, 'web-sqli');
    await alerts.group('SQL injection').getByTestId('alert-row').filter({ hasText: ip }).first().click();
    await alerts.detailReady();
    const id = Number(await alerts.selectedRow.getAttribute('data-alert-id'));
    const facts = alertFacts(evidence.casePath, id);
    const total = await alerts.rows.count();
    const filterBar = new FilterBarPage(casePage.page);

    // On the timeline: the range covers the alert's first and last event.
    await alerts.showTimeline.click();
    await expect(casePage.view).toHaveAttribute('data-view', 'timeline');
    await expect(filterBar.rangeChip).toBeVisible();
    const range = await filterBar.range();
    expect(range.from).toBeLessThanOrEqual(facts.first);
    expect(range.to).toBeGreaterThan(facts.last);

    // The range applies to the alerts too, until the chip's × clears it.
    await casePage.show('alerts');
    await alerts.ready();
    await expect(alerts.row(id)).toBeVisible();
    expect(await alerts.rows.count()).toBeLessThan(total);
    await filterBar.clearRange.click();
    await expect(alerts.rows).toHaveCount(total);

    // On the grid: exactly the alert's events, whatever range was brushed.
    await alerts.row(id).click();
    await alerts.showEvents.click();
    await expect(casePage.view).toHaveAttribute('data-view', 'events');
    await expect(filterBar.input).toHaveValue(`alert:${id}`);
    await expect(filterBar.rangeChip).toHaveCount(0);
    await expect(new EventsPage(casePage.page).total).toHaveText(String(facts.count));

    await casePage.show('alerts');
    await alerts.pivot.click();
    await expect(casePage.view).toHaveAttribute('data-view', 'dossier');
    await expect(casePage.nav('dossier')).toContainText(ip);
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
