import { join } from 'node:path';
import { freePort, logger, LOGGER_MISSING } from '../../fixtures/syslog-clients.ts';
import { expect, NO_TROUBLE, test } from '../../fixtures/test.ts';
import { EventsPage } from '../../pages/events-page.ts';
import { LivePage } from '../../pages/live-page.ts';
import { screenshotView } from '../../pages/screenshots.ts';

const failures = (ip: string, n: number, from = 0): string[] =>
  Array.from({ length: n }, (_, i) => `Failed password for root from ${ip} port ${41000 + from + i} ssh2`);

test.describe('live syslog from the window', () => {
  test.setTimeout(120_000);
  test.skip(LOGGER_MISSING !== null, LOGGER_MISSING ?? '');

  test('a listener started from the Live view fills the grid, the counters and the alerts while logger sends, and outlives an engine crash', async ({ app, casePage, evidence, trouble }, testInfo) => {
    const page = casePage.page;
    await casePage.show('start');
    await casePage.start.createByPath(join(evidence.dir, 'live.loupe'));
    await casePage.waitUntilReady();

    await casePage.show('live');
    const live = new LivePage(page);
    await expect(live.host).toHaveValue('127.0.0.1');
    await expect(live.exposedWarning).toHaveCount(0);
    // Another interface needs an explicit yes.
    await live.host.fill('0.0.0.0');
    await expect(live.exposedWarning).toContainText('other machines');
    await live.startButton.click();
    await expect(live.problem).toContainText('tick the box');
    await live.host.fill('127.0.0.1');
    await expect(live.exposedWarning).toHaveCount(0);

    const port = await freePort();
    await live.start(port);
    await expect(live.listeners).toHaveCount(2);
    await expect(live.listener('udp').getByTestId('live-rsyslog')).toHaveText(`*.* @127.0.0.1:${port}`);
    await expect(live.listener('tcp').getByTestId('live-rsyslog')).toContainText(`*.* @@127.0.0.1:${port}`);
    await expect(live.listener('udp').getByTestId('live-syslog-ng')).toContainText(`network("127.0.0.1" port(${port}) transport("udp"))`);

    // A brute-force burst over UDP, and a hostile line over TCP.
    await logger(port, 'udp', 'sshd', failures('203.0.113.77', 12));
    await logger(port, 'tcp', 'webapp', ['<script>alert(1)</script> \u001b[31mred\u001b[0m']);
    await expect(live.received('udp')).toHaveText('12');
    await expect(live.stored('udp')).toHaveText('12');
    await expect(live.stored('tcp')).toHaveText('1');
    await expect(live.listener('tcp').getByTestId('live-peer')).toContainText('127.0.0.1');
    await expect(casePage.eventCount).toHaveText('13');
    await screenshotView(page, testInfo, 'live');

    // The sender has fallen silent: once nothing has come for the lateness delay (5 s), the
    // correlation sees the burst, and the alert appears without a reload.
    await expect(casePage.openAlerts).toHaveText('1', { timeout: 15_000 });

    // The grid follows the tail: new lines appear while it is shown.
    await casePage.show('events');
    const events = new EventsPage(page);
    await events.waitUntilReady();
    const before = Number((await events.total.textContent()) ?? '0');
    expect(before).toBe(13);
    await expect(events.grid).toContainText('203.0.113.77');
    const hostile = events.rows.filter({ hasText: '<script>alert(1)</script>' });
    await expect(hostile).toHaveCount(1);
    await expect(hostile.locator('.control').first()).toHaveText('\\x1b');
    await logger(port, 'tcp', 'sshd', ['Accepted password for root from 203.0.113.77 port 42000 ssh2']);
    await expect(events.total).toHaveText(String(before + 1));
    await expect(events.rows.filter({ hasText: 'Accepted password' })).toHaveCount(1);

    await casePage.show('alerts');
    await casePage.alerts.ready();
    const bruteForce = casePage.alerts.group('SSH brute force');
    await expect(bruteForce).toHaveCount(1);
    await expect(bruteForce.getByTestId('alert-row').filter({ hasText: '203.0.113.77' })).toHaveCount(1);

    // The engine's thread dies and is restarted: the listeners run in a thread of their own and
    // go on storing what arrives.
    await casePage.show('live');
    await app.loupe.engine.terminateWorker();
    await logger(port, 'udp', 'app', ['sent while the engine restarted']);
    await expect(live.stored('udp')).toHaveText('13');
    await expect(live.root).toHaveAttribute('data-state', 'listening');

    // Stopping stores everything and leaves the case readable.
    await live.stop();
    await expect(live.listeners.first()).toHaveAttribute('data-state', 'stopped');
    await casePage.show('events');
    await events.waitUntilReady();
    await expect(events.total).toHaveText(String(before + 2));
    expect({ ...trouble, mainLog: trouble.mainLog.filter((m) => !/engine worker stopped unexpectedly/.test(m)) }).toEqual(NO_TROUBLE);
  });

  test('a sender stamping local time east of UTC gets a warning on its listener: its correlations wait for the clock', async ({ casePage, evidence, trouble }) => {
    const page = casePage.page;
    await casePage.show('start');
    await casePage.start.createByPath(join(evidence.dir, 'fast-clock.loupe'));
    await casePage.waitUntilReady();
    await casePage.show('live');
    const live = new LivePage(page);
    const port = await freePort();
    await live.start(port);

    // A host set to UTC+2 sends RFC 3164 local time; the listener reads it as UTC, two hours ahead.
    await logger(port, 'udp', 'sshd', failures('198.51.100.20', 3), 'EET-2');
    await logger(port, 'tcp', 'app', ['stamped on time']);
    await expect(live.stored('udp')).toHaveText('3');
    await expect(live.stored('tcp')).toHaveText('1');
    await expect(live.clockAhead('udp')).toHaveText(
      "3 messages are stamped up to 2 h ahead of this machine's clock: check the sender's clock or the listener's time zone; " +
      'their correlations wait until the clock reaches them. From 127.0.0.1 (3).',
    );
    await expect(live.clockAhead('tcp')).toHaveCount(0);

    await expect(live.zone('udp')).toHaveText('RFC 3164 times read as UTC');
    await live.stop();
    // The warning stays with the stopped listener's counters.
    await expect(live.clockAhead('udp')).toContainText('3 messages are stamped up to 2 h ahead');

    // A zone that does not exist is refused before anything starts.
    await live.timezone.fill('Mars/Olympus');
    await live.startButton.click();
    await expect(live.problem).toHaveText('Mars/Olympus is not a time zone: use an IANA name such as Europe/Berlin, or UTC.');
    await expect(live.root).toHaveAttribute('data-state', 'stopped');

    // The cure: listen with the sender's zone; the same host's lines are then on time.
    await live.timezone.fill('Etc/GMT-2');
    await live.start(port);
    await expect(live.zone('udp')).toHaveText('RFC 3164 times read as Etc/GMT-2');
    await logger(port, 'udp', 'sshd', failures('198.51.100.20', 3, 3), 'EET-2');
    await expect(live.stored('udp')).toHaveText('3');
    await expect(live.clockAhead('udp')).toHaveCount(0);
    await live.stop();

    // Leaving the view and coming back keeps the zone, so the next start reads the sender right again.
    await casePage.show('events');
    await casePage.show('live');
    await expect(live.timezone).toHaveValue('Etc/GMT-2');
    await expect(live.zone('udp')).toHaveText('RFC 3164 times read as Etc/GMT-2');
    await live.start(port);
    await logger(port, 'udp', 'sshd', failures('198.51.100.20', 2, 6), 'EET-2');
    await expect(live.stored('udp')).toHaveText('2');
    await expect(live.clockAhead('udp')).toHaveCount(0);
    await live.stop();
    expect(trouble).toEqual(NO_TROUBLE);
  });
});
