import { expect, type Locator, type Page } from '@playwright/test';

/** The Live view: start and stop syslog listeners, their counters, the forwarding lines. */
export class LivePage {
  readonly page: Page;
  readonly root: Locator;
  readonly host: Locator;
  readonly port: Locator;
  readonly timezone: Locator;
  readonly startButton: Locator;
  readonly stopButton: Locator;
  readonly exposedWarning: Locator;
  readonly allowExposed: Locator;
  readonly problem: Locator;
  readonly listeners: Locator;
  readonly rsyslog: Locator;
  readonly syslogNg: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('live-view');
    this.host = this.root.getByTestId('live-host');
    this.port = this.root.getByTestId('live-port');
    this.timezone = this.root.getByTestId('live-timezone');
    this.startButton = this.root.getByTestId('live-start');
    this.stopButton = this.root.getByTestId('live-stop');
    this.exposedWarning = this.root.getByTestId('live-exposed-warning');
    this.allowExposed = this.root.getByTestId('live-allow-exposed');
    this.problem = this.root.getByTestId('live-problem');
    this.listeners = this.root.getByTestId('live-listener');
    this.rsyslog = this.root.getByTestId('live-rsyslog');
    this.syslogNg = this.root.getByTestId('live-syslog-ng');
  }

  transport(t: 'udp' | 'tcp' | 'tls'): Locator {
    return this.root.getByTestId(`live-${t}`);
  }

  listener(t: 'udp' | 'tcp' | 'tls'): Locator {
    return this.root.locator(`[data-testid="live-listener"][data-transport="${t}"]`);
  }

  /** The messages received and stored by one listener, as the counters show them. */
  received(t: 'udp' | 'tcp' | 'tls'): Locator {
    return this.listener(t).getByTestId('live-received');
  }

  stored(t: 'udp' | 'tcp' | 'tls'): Locator {
    return this.listener(t).getByTestId('live-stored');
  }

  /** The zone a listener reads RFC 3164 times in, as its card says. */
  zone(t: 'udp' | 'tcp' | 'tls'): Locator {
    return this.listener(t).getByTestId('live-listener-timezone');
  }

  /** The warning that a listener's messages are stamped ahead of this machine's clock. */
  clockAhead(t: 'udp' | 'tcp' | 'tls'): Locator {
    return this.listener(t).getByTestId('live-clock-ahead');
  }

  async start(port: number): Promise<void> {
    await this.port.fill(String(port));
    await this.startButton.click();
    await expect(this.root).toHaveAttribute('data-state', 'listening');
  }

  async stop(): Promise<void> {
    await this.stopButton.click();
    await expect(this.root).toHaveAttribute('data-state', 'stopped');
  }
}
