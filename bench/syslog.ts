// npm run bench:syslog [-- --senders N] [-- --messages N] [-- --udp-rate R] [-- --udp-seconds S] [-- --no-detect]
//
// `loupe listen` itself (its own process, live detections on with the built-in rule pack, the
// listener in its worker thread), fed over loopback by sender processes:
// - TCP: several senders at once, each as fast as TCP lets it, RFC 5424 octet-counted messages
//   carrying a sequence number (`[meta sequenceId=…]`, RFC 5424 7.3.1); the rate is messages
//   stored per second, and every sequence number of every sender must be in the case, once.
// - UDP: one sender at a fixed rate; what the listener stored, what the kernel dropped.
// Floors (issue #5): TCP ≥ 50,000 msg/s stored with zero loss; UDP no loss at 20,000 msg/s;
// listener peak RSS under 300 MB. Nothing is pinned: the listener's threads (sockets and parsing,
// the writer, the detections) and the senders share the machine's cores as the OS schedules them,
// and the CPU time of each side is measured, since a shared machine makes rates noisy.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { ListenerStatus, LiveStatus } from '../electron/syslog/listener-types.ts';

const { values } = parseArgs({
  options: {
    role: { type: 'string' }, port: { type: 'string' }, id: { type: 'string' },
    senders: { type: 'string' }, messages: { type: 'string' }, 'udp-rate': { type: 'string' }, 'udp-seconds': { type: 'string' },
    'no-detect': { type: 'boolean' }, keep: { type: 'boolean' }, profile: { type: 'string' },
  },
});

const SELF = new URL(import.meta.url).pathname;
/** Issue #5's floors, and the CPU budget per message for the listener and the senders together on two cores. */
const FLOOR = { tcpRate: 50_000, udpRate: 20_000, peakRssMb: 300, cpuUsPerMessage: 20 };

/**
 * A busy application server's feed: mostly application lines, then cron and sudo, a few SSH logins,
 * and SSH failures (4 in 100 lines): internet noise from thousands of addresses, a few tries each
 * and below every threshold, one address brute-forcing root and one spraying passwords over many
 * accounts, which the built-in correlations alert on.
 */
function message(sender: number, seq: number, time: string): string {
  const head = `1 ${time} sender-${sender}`;
  const meta = `[meta sequenceId="${seq}"]`;
  const pid = 4000 + (seq % 900);
  const port = 1024 + (seq % 60000);
  switch (seq % 100) {
    case 0: case 25: return `<38>${head} sshd ${pid} - ${meta} Failed password for invalid user admin from 10.${sender}.${(seq >> 8) & 63}.${(seq >> 2) & 63} port ${port} ssh2`;
    case 50: return `<38>${head} sshd ${pid} - ${meta} Failed password for root from 203.0.113.66 port ${port} ssh2`;
    case 75: return `<38>${head} sshd ${pid} - ${meta} Failed password for invalid user user${seq % 97} from 198.51.100.${sender} port ${port} ssh2`;
    case 10: return `<38>${head} sshd ${pid} - ${meta} Accepted publickey for deploy from 10.${sender}.0.${seq % 7} port ${port} ssh2: ED25519 SHA256:abc`;
    case 1: case 21: case 41: case 61: case 81: return `<86>${head} sudo - - ${meta}    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl status nginx`;
    case 2: case 22: case 42: case 62: case 82: return `<78>${head} CRON ${700 + (seq % 50)} - ${meta} (root) CMD (run-parts /etc/cron.hourly)`;
    default: return `<14>${head} app ${seq % 30000} req ${meta} GET /api/items/${seq} 200 ${seq % 5000}ms user=u${seq % 400}`;
  }
}

/** CPU seconds a process has used so far (user + system, from /proc; 0 where there is none). */
function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // After the command name: state is field 3, utime and stime fields 14 and 15 (in clock ticks of 1/100 s).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

// ---- child roles -------------------------------------------------------------------------------

/**
 * A TCP sender: waits for "go" on stdin, sends its messages as fast as TCP allows, prints when the
 * last byte is written. A batch is built as one string and encoded once (the messages are ASCII,
 * so a message's length in characters is its octet count): the senders share the machine with the
 * listener, and what they spend is counted beside it.
 */
async function tcpSenderRole(): Promise<void> {
  const port = Number(values.port);
  const id = Number(values.id);
  const count = Number(values.messages);
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => socket.once('connect', resolve));
  console.log('connected');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (let seq = 0; seq < count;) {
    let batch = '';
    const time = new Date().toISOString();
    for (let k = 0; k < 1024 && seq < count; k++, seq++) {
      const text = message(id, seq, time);
      batch += `${text.length} ${text}`;
    }
    if (!socket.write(Buffer.from(batch, 'latin1'))) await new Promise((resolve) => socket.once('drain', resolve));
  }
  await new Promise<void>((resolve) => socket.end(resolve));
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({ sent: count, seconds: (performance.now() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
  process.exit(0);
}

/** A UDP sender at a fixed rate: datagrams go out in small bursts every millisecond or so, paced on the clock. */
async function udpSenderRole(): Promise<void> {
  const port = Number(values.port);
  const rate = Number(values['udp-rate']);
  const total = Math.round(rate * Number(values['udp-seconds']));
  const socket = createSocket('udp4');
  let sent = 0;
  let errors = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const step = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      const time = new Date().toISOString();
      for (; sent < due; sent++) socket.send(message(9, sent, time), port, '127.0.0.1', (err) => { if (err) errors++; });
      // A timer rather than setImmediate: a sender spinning on a core would take it from the listener.
      if (sent >= total) resolve();
      else setTimeout(step, 1);
    };
    step();
  });
  const seconds = (performance.now() - started) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 50));
  socket.close();
  console.log(JSON.stringify({ sent, errors, seconds }));
  process.exit(0);
}

// ---- the run -----------------------------------------------------------------------------------

const LOUPE_BIN = new URL('../bin/loupe.mjs', import.meta.url).pathname;

function child(role: string, args: string[]): ChildProcess {
  // --profile DIR: V8 CPU profiles of the listening process's threads, to see where its time goes.
  const flags = role === 'listener' && values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
  const argv = role === 'listener' ? [...flags, LOUPE_BIN, 'listen', ...args] : [SELF, '--role', role, ...args];
  return spawn(process.execPath, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
}

function lines(proc: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
}

async function nextJson<T>(it: AsyncIterator<string>): Promise<T> {
  for (;;) {
    const r = await it.next();
    if (r.done) throw new Error('child ended early');
    if (r.value.startsWith('{')) return JSON.parse(r.value) as T;
  }
}

/** Messages the case holds for a source, read the way the window reads it (a second connection, WAL). */
function storedOf(reader: Database.Database, path: string): number {
  return (reader.prepare('SELECT coalesce(sum(lines_total), 0) FROM sources WHERE path = ?').pluck().get(path) as number);
}

async function until(check: () => boolean, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now();
}

/** The kernel's cap on a socket's receive buffer (Linux), or null where it cannot be read. */
function rmemMax(): number | null {
  try {
    return Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
  } catch {
    return null;
  }
}

type ListenerLine = { event: string } & Partial<LiveStatus> & { process?: { peakRssMb: number; cpuSeconds: number } };

/** Reads the listener's JSON lines in the background, keeping the latest status. */
function follow(proc: ChildProcess): { latest: () => ListenerLine | null; next: (event: string) => Promise<ListenerLine> } {
  let latest: ListenerLine | null = null;
  const waiting: { event: string; resolve: (l: ListenerLine) => void }[] = [];
  const seen: ListenerLine[] = [];
  createInterface({ input: proc.stdout! }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    const line = JSON.parse(text) as ListenerLine;
    if (line.event === 'status') latest = line;
    const i = waiting.findIndex((w) => w.event === line.event);
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(line);
    else if (line.event !== 'status') seen.push(line);
  });
  return {
    latest: () => latest,
    next: (event) => {
      const i = seen.findIndex((l) => l.event === event);
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]!);
      return new Promise((resolve, reject) => {
        waiting.push({ event, resolve });
        proc.once('exit', () => reject(new Error(`the listener ended before "${event}"`)));
      });
    },
  };
}

const n = (v: number): string => Math.round(v).toLocaleString('en-US');
const mib = (bytes: number): string => `${(bytes / 1_048_576).toFixed(bytes % 1_048_576 === 0 ? 0 : 1)} MiB`;

async function main(): Promise<void> {
  const senders = Number(values.senders ?? 4);
  const perSender = Number(values.messages ?? 100_000);
  const udpRate = Number(values['udp-rate'] ?? FLOOR.udpRate);
  const udpSeconds = Number(values['udp-seconds'] ?? 10);
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-syslog-'));
  const casePath = join(dir, 'bench.loupe');
  const detect = !values['no-detect'];
  console.log(`bench:syslog — ${senders} TCP senders × ${n(perSender)} messages, then UDP at ${n(udpRate)} msg/s for ${udpSeconds} s; ` +
    `live detections ${detect ? 'on (built-in pack)' : 'off'}; ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the start`);
  const listener = child('listener', [casePath, '--tcp', '127.0.0.1:0', '--udp', '127.0.0.1:0', '--json', ...(detect ? [] : ['--no-detect'])]);
  const feed = follow(listener);
  try {
    const listening = (await feed.next('listening')) as unknown as { listeners: ListenerStatus[] };
    const tcpListener = listening.listeners.find((l) => l.transport === 'tcp') as ListenerStatus;
    const udpListener = listening.listeners.find((l) => l.transport === 'udp') as ListenerStatus;
    const recvBuffer = udpListener.udp as NonNullable<ListenerStatus['udp']>;
    const reader = new Database(casePath, { readonly: true });

    // TCP
    const procs = Array.from({ length: senders }, (_, i) => child('tcp-sender', ['--port', String(tcpListener.port), '--id', String(i), '--messages', String(perSender)]));
    const outs = procs.map(lines);
    for (const it of outs) await it.next(); // "connected"
    const total = senders * perSender;
    const cpu0 = cpuSecondsOf(listener.pid as number);
    const t0 = performance.now();
    for (const p of procs) p.stdin!.write('go\n');
    const tDone = await until(() => storedOf(reader, tcpListener.id) >= total, 600_000);
    const tcpCpuStored = cpuSecondsOf(listener.pid as number) - cpu0;
    // The detections follow the writer; their work on these messages counts too.
    const lastId = reader.prepare('SELECT max(id) FROM events').pluck().get() as number;
    const tCaughtUp = detect ? await until(() => (feed.latest()?.detections as { scannedId?: number } | undefined)?.scannedId! >= lastId, 600_000) : tDone;
    const tcpCpu = cpuSecondsOf(listener.pid as number) - cpu0;
    const sendResults = await Promise.all(outs.map((it) => nextJson<{ sent: number; seconds: number; cpuSeconds: number }>(it)));
    const senderCpu = sendResults.reduce((sum, r) => sum + r.cpuSeconds, 0);
    const tcpSeconds = (tDone - t0) / 1000;
    const gaps = reader.prepare(`SELECT host, count(*) AS n, count(DISTINCT json_extract(extra, '$.sd.meta.sequenceId')) AS distinctSeq,
        min(CAST(json_extract(extra, '$.sd.meta.sequenceId') AS INTEGER)) AS lo, max(CAST(json_extract(extra, '$.sd.meta.sequenceId') AS INTEGER)) AS hi
      FROM events WHERE source_id = (SELECT id FROM sources WHERE path = ?) GROUP BY host ORDER BY host`).all(tcpListener.id) as
      { host: string; n: number; distinctSeq: number; lo: number; hi: number }[];
    const complete = gaps.length === senders && gaps.every((g) => g.n === perSender && g.distinctSeq === perSender && g.lo === 0 && g.hi === perSender - 1);

    // UDP
    const udpSender = child('udp-sender', ['--port', String(udpListener.port), '--udp-rate', String(udpRate), '--udp-seconds', String(udpSeconds)]);
    const udpSent = await nextJson<{ sent: number; errors: number; seconds: number }>(lines(udpSender));
    // What the kernel kept is read within moments, on a loaded machine within seconds: wait until
    // every datagram is stored or counted dropped, or nothing has moved for 3 s (closing the socket
    // would discard what it still holds).
    let last = -1;
    let lastMoved = performance.now();
    await until(() => {
      const t = (feed.latest()?.listeners ?? []).find((l) => l.id === udpListener.id)?.totals;
      const now = storedOf(reader, udpListener.id);
      if (now !== last) lastMoved = performance.now();
      last = now;
      return (t !== undefined && now + (t.kernelDrops ?? 0) + t.queueDrops >= udpSent.sent) || performance.now() - lastMoved > 3000;
    }, 120_000);
    reader.close();
    const loadAfter = loadavg();

    listener.kill('SIGINT');
    const summary = (await feed.next('stopped')) as LiveStatus & { process: { peakRssMb: number; cpuSeconds: number } };
    const udpStatus = summary.listeners.find((l) => l.transport === 'udp');
    const tcpStatus = summary.listeners.find((l) => l.transport === 'tcp');
    const udpStored = udpStatus?.totals.stored ?? 0;
    const udpLost = udpSent.sent - udpStored;
    const udpRateSent = udpSent.sent / udpSent.seconds;
    const tcpRate = total / tcpSeconds;
    const tcpZeroLoss = complete && (tcpStatus?.totals.stored ?? 0) === total;
    const listenerUs = (tcpCpu * 1e6) / total;
    const senderUs = (senderCpu * 1e6) / total;
    const limit = rmemMax();
    const slowestSender = Math.max(...sendResults.map((r) => r.seconds));

    console.log('');
    console.log('| measurement | figure |');
    console.log('| --- | --- |');
    console.log(`| TCP: ${n(total)} messages from ${senders} senders, all stored | ${tcpSeconds.toFixed(2)} s, ${n(tcpRate)} msg/s (senders done writing after ${slowestSender.toFixed(2)} s${detect ? `; detections caught up ${((tCaughtUp - tDone) / 1000).toFixed(2)} s after the last store` : ''}) |`);
    console.log(`| TCP: every sequence number of every sender stored once | ${complete ? 'yes' : `NO: ${JSON.stringify(gaps)}`} |`);
    console.log(`| TCP: listener CPU (all its threads) | ${tcpCpu.toFixed(2)} s, ${listenerUs.toFixed(1)} µs per message (${tcpCpuStored.toFixed(2)} s until the last store; ${Math.round((100 * tcpCpuStored) / tcpSeconds)}% of one core on average) |`);
    console.log(`| TCP: senders' CPU (user + system, the kernel's loopback work included) | ${senderCpu.toFixed(2)} s, ${senderUs.toFixed(1)} µs per message |`);
    console.log(`| UDP: ${n(udpSent.sent)} datagrams at ${n(udpRateSent)} msg/s | ${n(udpStored)} stored, ${n(udpLost)} lost (kernel drops ${udpStatus?.totals.kernelDrops ?? 'unknown'}, queue drops ${udpStatus?.totals.queueDrops ?? 0}, send errors ${udpSent.errors}) |`);
    console.log(`| UDP receive buffer (SO_RCVBUF) | asked ${mib(recvBuffer.recvBufferRequested)}, the kernel granted ${mib(recvBuffer.recvBufferGranted)}; net.core.rmem_max is ${limit === null ? 'unknown' : mib(limit)} (Linux grants at most twice it) |`);
    console.log(`| listener CPU, whole run | ${summary.process.cpuSeconds.toFixed(1)} s |`);
    console.log(`| listener peak RSS | ${summary.process.peakRssMb} MB |`);
    console.log(`| live detections | ${summary.detections.enabled ? `${summary.alerts} alerts, ${summary.detections.alertWrites} alert writes, ${summary.detections.lateMatches} late matches, ${summary.detections.rebuilds} rebuilds` : 'off'} |`);
    console.log(`| load average | ${loadavg().map((l) => l.toFixed(2)).join(', ')} at the end (${loadAfter.map((l) => l.toFixed(2)).join(', ')} after UDP) |`);
    if (limit !== null && recvBuffer.recvBufferGranted < recvBuffer.recvBufferRequested) {
      console.log('');
      console.log(`The kernel capped the UDP buffer: raise it with \`sudo sysctl -w net.core.rmem_max=${recvBuffer.recvBufferRequested}\` ` +
        `(lasting: a file in /etc/sysctl.d/ with \`net.core.rmem_max = ${recvBuffer.recvBufferRequested}\`), then start the listener again.`);
    }

    const verdicts: [string, string, string, boolean][] = [
      ['TCP rate, stored', `${n(tcpRate)} msg/s (${(tcpRate / FLOOR.tcpRate).toFixed(2)}× the floor)`, `≥ ${n(FLOOR.tcpRate)} msg/s`, tcpRate >= FLOOR.tcpRate],
      ['TCP loss', tcpZeroLoss ? `0 of ${n(total)}` : `${n(total - (tcpStatus?.totals.stored ?? 0))} of ${n(total)}, or sequence gaps`, '0', tcpZeroLoss],
      [`UDP loss at ${n(udpRateSent)} msg/s`, `${n(udpLost)} of ${n(udpSent.sent)}`, `0 at ≥ ${n(FLOOR.udpRate)} msg/s`, udpLost === 0 && udpRateSent >= FLOOR.udpRate * 0.98],
      ['listener peak RSS', `${summary.process.peakRssMb} MB`, `< ${FLOOR.peakRssMb} MB`, summary.process.peakRssMb < FLOOR.peakRssMb],
      ['CPU per TCP message, listener + senders', `${(listenerUs + senderUs).toFixed(1)} µs (listener ${listenerUs.toFixed(1)}, senders ${senderUs.toFixed(1)})`,
        `≤ ${FLOOR.cpuUsPerMessage} µs (budget: two cores, shared)`, listenerUs + senderUs <= FLOOR.cpuUsPerMessage],
    ];
    console.log('');
    console.log('| floor | measured | needed | verdict |');
    console.log('| --- | --- | --- | --- |');
    for (const [name, measured, needed, ok] of verdicts) console.log(`| ${name} | ${measured} | ${needed} | ${ok ? 'met' : 'MISSED'} |`);
    console.log(`| UDP receive buffer granted | ${mib(recvBuffer.recvBufferGranted)} | (reported) | ${recvBuffer.recvBufferGranted >= recvBuffer.recvBufferRequested ? 'as asked' : 'capped by net.core.rmem_max'} |`);
    const pass = verdicts.slice(0, 4).every((v) => v[3]);
    console.log('');
    console.log(pass ? 'all floors of issue #5 met' : 'FLOOR MISSED (see the table); a loaded machine (load average above) slows every rate, CPU per message much less');
    process.exitCode = pass ? 0 : 1;
  } finally {
    if (listener.exitCode === null) {
      const exited = new Promise((resolve) => listener.once('exit', resolve));
      const timer = setTimeout(() => listener.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else console.log(`case kept: ${casePath}`);
  }
}

switch (values.role) {
  case 'tcp-sender':
    await tcpSenderRole();
    break;
  case 'udp-sender':
    await udpSenderRole();
    break;
  default:
    await main();
}
