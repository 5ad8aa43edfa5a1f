/**
 * `loupe listen`: live syslog into a case until Ctrl-C (or SIGTERM). Stopping is the normal end of
 * a listen, not a cancellation: every message received is stored, a summary is printed, and the
 * exit code is 0 (1 when a listener could not start or messages could not be stored).
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { join } from 'node:path';
import { aheadWarning } from '../../shared/clock-lead.ts';
import { formatHostPort, isLoopback, parseBindAddress, DEFAULT_TLS_PORT, BindAddressError } from '../syslog/bind-address.ts';
import { DEFAULT_MAX_MESSAGE_BYTES, ListenerConfigError, type ListenerConfig, type ListenerStatus, type LiveStatus } from '../syslog/listener-types.ts';
import { ListenerThread } from '../syslog/listener-thread.ts';
import { selfSignedDir } from '../syslog/tls-cert.ts';
import { parse, parsePositiveInt, UsageError } from './args.ts';
import { safe } from './commands.ts';
import type { Io } from './main.ts';

export async function listenCommand(argv: string[], io: Io, signals: NodeJS.EventEmitter = process): Promise<number> {
  const { values, positionals } = parse(argv, {
    udp: { type: 'string', multiple: true }, tcp: { type: 'string', multiple: true }, tls: { type: 'string', multiple: true },
    cert: { type: 'string' }, key: { type: 'string' }, tz: { type: 'string' }, 'max-message-bytes': { type: 'string' },
    'no-detect': { type: 'boolean' }, json: { type: 'boolean' },
  });
  const [casePath] = positionals;
  if (casePath === undefined || positionals.length > 1) throw new UsageError('listen needs exactly one case file');
  if ((values.cert === undefined) !== (values.key === undefined)) throw new UsageError('--cert and --key go together');
  if (values.cert !== undefined && values.tls === undefined) throw new UsageError('--cert and --key are for a --tls listener');
  const maxMessageBytes = parsePositiveInt('--max-message-bytes', values['max-message-bytes'], DEFAULT_MAX_MESSAGE_BYTES);
  const configs = listenerConfigs(values, casePath, maxMessageBytes);

  // The listener's threads promote much short-lived garbage; by default V8 lets an old generation
  // grow to about four times what survives before collecting it, which took the process past 300 MB
  // with a live set of some 30 MB per thread (bench:syslog, --trace-gc: peak RSS 368 MB, 261 MB with
  // 50%, CPU per message the same). Set before the workers start, whose heaps are made then.
  setFlagsFromString('--heap-growing-percent=50');
  const display = liveLine(process.stderr, values.json === true);
  let lastJson = '';
  // The listener runs in a worker thread on its own connection; this thread prints and waits for Ctrl-C.
  const thread = await ListenerThread.open(casePath, {
    detect: values['no-detect'] !== true,
    statusIntervalMs: 500,
    onStatus: (s) => {
      if (values.json) {
        const line = JSON.stringify({
          event: 'status', listeners: s.listeners.map((l) => ({ id: l.id, totals: l.totals })), detections: s.detections, alerts: s.alerts,
        });
        if (line !== lastJson) io.out(line);
        lastJson = line;
      } else display.update(s);
    },
  });
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  const onSignal = (): void => stop();
  signals.on('SIGINT', onSignal);
  signals.on('SIGTERM', onSignal);
  let failed = false;
  let final: LiveStatus | null = null;
  try {
    const started: ListenerStatus[] = [];
    try {
      for (const config of configs) started.push(await thread.start(config));
    } catch (err) {
      if (err instanceof ListenerConfigError) {
        io.err(`loupe: ${err.message}`);
        failed = true;
        return 1;
      }
      throw err;
    }
    if (values.json) io.out(JSON.stringify({ event: 'listening', listeners: started }));
    else {
      for (const l of started) describeListener(l, io);
      io.err('Ctrl-C stops listening; everything received is stored first.');
    }
    await stopped;
  } finally {
    signals.off('SIGINT', onSignal);
    signals.off('SIGTERM', onSignal);
    final = await thread.close();
    display.clear();
    if (!failed) {
      if (values.json) io.out(JSON.stringify({ event: 'stopped', ...final, process: processFigures() }));
      else describeSummary(final, io);
    }
  }
  const problems = final.listeners.filter((l) => l.problem !== null || l.totals.stored < l.totals.received);
  return problems.length > 0 ? 1 : 0;
}

/** What the listening process used, for scripts that watch it (the benchmark does). */
function processFigures(): { peakRssMb: number; cpuSeconds: number } {
  let peak = process.memoryUsage().rss / 1_048_576;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) peak = Number(m[1]) / 1024;
  } catch {
    // Not Linux: the resident size now stands in for the peak.
  }
  const cpu = process.cpuUsage();
  return { peakRssMb: Math.round(peak * 10) / 10, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function listenerConfigs(
  values: { udp?: string[] | undefined; tcp?: string[] | undefined; tls?: string[] | undefined; cert?: string | undefined; key?: string | undefined; tz?: string | undefined },
  casePath: string, maxMessageBytes: number,
): ListenerConfig[] {
  const common = { maxMessageBytes, ...(values.tz !== undefined ? { timezone: values.tz } : {}) };
  const address = (flag: string, text: string, port?: number): { host: string; port: number } => {
    try {
      return parseBindAddress(text, port);
    } catch (err) {
      if (err instanceof BindAddressError) throw new UsageError(`${flag} ${err.message}`);
      throw err;
    }
  };
  const out: ListenerConfig[] = [];
  for (const text of values.udp ?? []) out.push({ transport: 'udp', ...address('--udp', text), ...common });
  for (const text of values.tcp ?? []) out.push({ transport: 'tcp', ...address('--tcp', text), ...common });
  for (const text of values.tls ?? []) {
    // Without the analyst's pair, a self-signed one is kept beside the case and reused next time.
    const tls = values.cert !== undefined && values.key !== undefined
      ? { certPath: values.cert, keyPath: values.key }
      : { selfSignedDir: selfSignedDir(casePath) };
    out.push({ transport: 'tls', ...address('--tls', text, DEFAULT_TLS_PORT), tls, ...common });
  }
  if (out.length === 0) {
    out.push({ transport: 'udp', ...common }, { transport: 'tcp', ...common });
  }
  return out;
}

function describeListener(l: ListenerStatus, io: Io): void {
  const lines = [`listening on ${l.url}`];
  if (!isLoopback(l.host)) lines.push(`  bound to ${l.host}: other machines can send to it (check your firewall)`);
  if (l.udp) {
    const short = l.udp.recvBufferGranted < l.udp.recvBufferRequested;
    lines.push(`  receive buffer: asked ${mib(l.udp.recvBufferRequested)}, the kernel granted ${mib(l.udp.recvBufferGranted)}` +
      (short ? ' (raise net.core.rmem_max to get more; a small buffer drops datagrams in bursts)' : ''));
  }
  if (l.tls) {
    lines.push(`  certificate ${l.tls.certPath}${l.tls.selfSigned ? ' (self-signed by Loupe; senders trust it as their CA file)' : ''}`);
    lines.push(`  SHA-256 fingerprint ${l.tls.fingerprint256}, valid until ${l.tls.validTo}`);
  }
  lines.push(`  rsyslog:   ${l.forwarding.rsyslog.join('\n             ')}`);
  lines.push(`  syslog-ng: ${l.forwarding.syslogNg.join('\n             ')}`);
  io.out(lines.join('\n'));
}

function describeSummary(s: LiveStatus, io: Io): void {
  const lines: string[] = [];
  for (const l of s.listeners) {
    const t = l.totals;
    const parts = [`${n(t.received)} received`, `${n(t.stored)} stored`, `${n(t.truncated)} truncated`, `${n(t.malformed)} malformed`, `${n(t.invalidUtf8)} not UTF-8`];
    if (l.transport === 'udp') {
      parts.push(t.kernelDrops === null ? 'kernel drops unknown' : `${n(t.kernelDrops)} dropped by the kernel`);
      if (t.queueDrops > 0) parts.push(`${n(t.queueDrops)} dropped while the case was busy`);
    } else {
      parts.push(`${n(t.connections)} connection(s)`);
      if (l.transport === 'tls') parts.push(`${n(t.tlsFailures)} failed handshake(s)`);
    }
    lines.push(`${l.url} (source #${l.sourceId}): ${parts.join(', ')}`);
    for (const p of l.peers) {
      lines.push(`  ${safe(p.address).padEnd(39)} ${n(p.received)} received, ${n(p.truncated)} truncated, ${n(p.malformed)} malformed` +
        (p.ahead > 0 ? `, ${n(p.ahead)} stamped ahead of the clock` : ''));
    }
    if (t.ahead > 0) lines.push(`  warning: ${aheadWarning(t.ahead, t.maxLeadMs)}`);
    if (l.problem) lines.push(`  problem: ${l.problem}`);
  }
  if (s.detections.enabled) lines.push(`${n(s.alerts)} alert(s) in the case`);
  if (s.detections.enabled && s.detections.problem) lines.push(`live detections stopped: ${s.detections.problem} (run loupe detect on the case)`);
  io.out(lines.join('\n'));
}

/** The counters on one line of a terminal's stderr, rewritten in place; nothing when it is not a terminal. */
function liveLine(stream: NodeJS.WriteStream, quiet: boolean): { update(s: LiveStatus): void; clear(): void } {
  const tty = stream.isTTY === true && !quiet;
  let shown = false;
  return {
    update(s) {
      if (!tty) return;
      const parts = s.listeners.filter((l) => l.state === 'listening').map((l) => {
        const t = l.totals;
        const drops = (t.kernelDrops ?? 0) + t.queueDrops;
        return `${l.transport} ${formatHostPort(l.host, l.port)}: ${n(t.stored)} stored` +
          (t.malformed > 0 ? `, ${n(t.malformed)} malformed` : '') + (drops > 0 ? `, ${n(drops)} dropped` : '') +
          (t.ahead > 0 ? `, ${n(t.ahead)} ahead of the clock` : '') +
          (l.transport === 'udp' ? '' : `, ${t.openConnections} connected`);
      });
      const text = `${parts.join(' | ')}${s.detections.enabled ? ` | ${n(s.alerts)} alerts` : ''}${s.backpressure ? ' | writer behind, TCP paused' : ''}`;
      stream.write(`\r\x1b[K${text.slice(0, (stream.columns || 120) - 1)}`);
      shown = true;
    },
    clear() {
      if (tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function mib(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(bytes % 1_048_576 === 0 ? 0 : 1)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
