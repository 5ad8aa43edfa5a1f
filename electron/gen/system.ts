import { DAY, flatHours, HOUR, MINUTE, RateCurve } from './clock.ts';
import { PIDS, type HostContext, type Write } from './host.ts';
import { Weighted } from './prng.ts';
import type { Driver } from './timeline.ts';

/** The host's own background: cron jobs, systemd timers, mail to root, DHCP, the odd kernel note. */

interface CronJob {
  user: string;
  uid: number;
  every: number;
  /** Offset within the period, e.g. minute 17 of every hour. */
  at: number;
  command: string;
}

/** Debian's stock crontab and a web app's scheduler; in the order they are kept when lines are scarce. */
const CRON_JOBS: readonly CronJob[] = [
  { user: 'root', uid: 0, every: HOUR, at: 17 * MINUTE, command: 'cd / && run-parts --report /etc/cron.hourly' },
  { user: 'root', uid: 0, every: DAY, at: 6 * HOUR + 25 * MINUTE, command: 'test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; }' },
  { user: 'root', uid: 0, every: 10 * MINUTE, at: 5 * MINUTE, command: 'command -v debian-sa1 > /dev/null && debian-sa1 1 1' },
  { user: 'root', uid: 0, every: 30 * MINUTE, at: 9 * MINUTE, command: '[ -x /usr/lib/php/sessionclean ] && if [ ! -d /run/systemd/system ]; then /usr/lib/php/sessionclean; fi' },
  { user: 'www-data', uid: 33, every: 5 * MINUTE, at: 0, command: 'php /var/www/app/artisan schedule:run >> /dev/null 2>&1' },
];

const TIMERS = [
  ['apt-daily.service', 'Daily apt download activities'],
  ['apt-daily-upgrade.service', 'Daily apt upgrade and clean activities'],
  ['man-db.service', 'Daily man-db regeneration'],
  ['systemd-tmpfiles-clean.service', 'Cleanup of Temporary Directories'],
  ['phpsessionclean.service', 'Clean php session files'],
  ['e2scrub_all.service', 'Online ext4 Metadata Check for All Filesystems'],
  ['fstrim.service', 'Discard unused blocks on filesystems from /etc/fstab'],
  ['certbot.service', 'Certbot'],
  ['dpkg-db-backup.service', 'Daily dpkg database backup service'],
] as const;

function runsOf(start: number, end: number, every: number, at: number): number[] {
  const out: number[] = [];
  let t = Math.floor((start - at) / every) * every + at;
  if (t < start) t += every;
  for (; t < end; t += every) out.push(t);
  return out;
}

export function systemActor(ctx: HostContext): number {
  return ctx.book.add({
    id: 'system', ip: null, kind: 'benign', category: 'benign-system',
    description: `${ctx.cast.host}'s own services: cron, systemd timers, logrotate, postfix, dhclient, kernel`,
  });
}

/**
 * Periodic jobs are planned up front, as many as fit in about a third of each file's remaining
 * budget: a small log keeps the hourly job, a large one gets the whole crontab.
 */
export function planPeriodic(ctx: HostContext, actor: number): void {
  const { timeline, log, ids, rng } = ctx;
  const w: Write = (ts, file, tail) => timeline.emit(ts, file, actor, '', tail);
  let authRoom = 0.35 * (ctx.authTarget - timeline.plannedLines(ctx.auth));
  let syslogRoom = 0.35 * (ctx.syslogTarget - timeline.plannedLines(ctx.syslog));
  const r = rng.fork('periodic');

  const rotations = runsOf(timeline.start, timeline.end, DAY, 0);
  if (rotations.length * 6 <= syslogRoom) {
    syslogRoom -= rotations.length * 6;
    for (const day of rotations) {
      const t = day + r.range(0, 900);
      w(t, ctx.syslog, log.systemd('Starting Rotate log files...'));
      w(t + 1100, ctx.syslog, log.systemd('Reloading The Apache HTTP Server...'));
      w(t + 1250, ctx.syslog, log.systemd('Reloaded The Apache HTTP Server.'));
      w(t + 1400, ctx.syslog, log.prog('rsyslogd', null,
        `[origin software="rsyslogd" swVersion="8.2302.0" x-pid="${PIDS.rsyslogd}" x-info="https://www.rsyslog.com"] rsyslogd was HUPed`));
      w(t + 1600, ctx.syslog, log.systemd('logrotate.service: Succeeded.'));
      w(t + 1601, ctx.syslog, log.systemd('Finished Rotate log files.'));
    }
  }

  for (const job of CRON_JOBS) {
    const runs = runsOf(timeline.start, timeline.end, job.every, job.at);
    if (runs.length * 2 > authRoom || runs.length > syslogRoom) continue;
    authRoom -= runs.length * 2;
    syslogRoom -= runs.length;
    for (const run of runs) {
      const t = run + r.range(0, 800);
      const pid = ids.pid(t);
      w(t, ctx.auth, `${log.host} CRON[${pid}]: pam_unix(cron:session): session opened for user ${job.user}(uid=${job.uid}) by (uid=0)`);
      w(t + 8, ctx.syslog, `${log.host} CRON[${pid + 1}]: (${job.user}) CMD (${job.command})`);
      w(t + r.range(40, 3000), ctx.auth, `${log.host} CRON[${pid}]: pam_unix(cron:session): session closed for user ${job.user}`);
    }
  }
}

type Episode = (t: number, w: Write) => void;

export function createSyslogDriver(ctx: HostContext, actor: number): Driver {
  const { timeline, log, ids } = ctx;
  const rng = ctx.rng.fork('syslog-benign');
  const hostIp = ctx.cast.ips.under('10.0.0');

  const timer: Episode = (t, w) => {
    const [unit, description] = rng.pick(TIMERS);
    const took = rng.range(80, 40_000);
    void (w(t, ctx.syslog, log.systemd(`Starting ${description}...`)) &&
      w(t + took, ctx.syslog, log.systemd(`${unit}: Succeeded.`)) &&
      w(t + took + 1, ctx.syslog, log.systemd(`Finished ${description}.`)));
  };
  const mail: Episode = (t, w) => {
    const id = rng.hex(10).toUpperCase();
    const stamp = new Date(t).toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const p = ids.pid(t);
    void (w(t, ctx.syslog, log.prog('postfix/pickup', p, `${id}: uid=0 from=<root>`)) &&
      w(t + 12, ctx.syslog, log.prog('postfix/cleanup', p + 3, `${id}: message-id=<${stamp}.${id}@${log.host}>`)) &&
      w(t + 20, ctx.syslog, log.prog('postfix/qmgr', PIDS.postfixMaster + 6, `${id}: from=<root@${log.host}>, size=${rng.range(600, 4000)}, nrcpt=1 (queue active)`)) &&
      w(t + 41, ctx.syslog, log.prog('postfix/local', p + 5, `${id}: to=<root@${log.host}>, orig_to=<root>, relay=local, delay=0.04, delays=0.02/0.01/0/0.01, dsn=2.0.0, status=sent (delivered to mailbox)`)) &&
      w(t + 42, ctx.syslog, log.prog('postfix/qmgr', PIDS.postfixMaster + 6, `${id}: removed`)));
  };
  const dhcp: Episode = (t, w) => {
    void (w(t, ctx.syslog, log.prog('dhclient', PIDS.dhclient, `DHCPREQUEST for ${hostIp} on eth0 to 10.0.0.1 port 67`)) &&
      w(t + 3, ctx.syslog, log.prog('dhclient', PIDS.dhclient, `DHCPACK of ${hostIp} from 10.0.0.1`)) &&
      w(t + 30, ctx.syslog, log.prog('dhclient', PIDS.dhclient, `bound to ${hostIp} -- renewal in ${rng.range(1500, 1800)} seconds.`)));
  };
  const kernel: Episode = (t, w) => {
    const rate = rng.range(50, 80) * 1000 + rng.range(0, 9) * 100;
    w(t, ctx.syslog, `${log.host} kernel: [${ids.uptime(t)}] perf: interrupt took too long (${rng.range(2501, 3400)} > 2500), lowering kernel.perf_event_max_sample_rate to ${rate}`);
  };
  const fpm: Episode = (t, w) => {
    w(t, ctx.syslog, log.prog('php-fpm8.2', PIDS.phpFpm, '[pool www] server reached pm.max_children setting (5), consider raising it'));
  };
  const episodes = new Weighted<Episode>([[timer, 4], [mail, 1.5], [dhcp, 2], [kernel, 0.3], [fpm, 0.8]]);

  let remaining = 0;
  let count = 0;
  const w: Write = (ts, file, tail) => {
    if (remaining <= 0 || !timeline.emit(ts, file, actor, '', tail)) return false;
    remaining--;
    count++;
    return true;
  };
  return {
    file: ctx.syslog,
    rng,
    curve: new RateCurve(timeline.start, timeline.end, flatHours),
    meanLines: 3,
    episode(t, budget) {
      remaining = budget;
      count = 0;
      episodes.draw(rng)(t, w);
      return count;
    },
  };
}
