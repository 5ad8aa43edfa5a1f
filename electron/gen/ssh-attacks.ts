import type { ActorSpec } from './actors.ts';
import { scaled, windowStart } from './budget.ts';
import { MINUTE, SECOND } from './clock.ts';
import { authFailure, closeLogin, openLogin, type HostContext, type Write } from './host.ts';
import type { Rng } from './prng.ts';

/** Attacks on sshd from outside and on sudo from inside, each by its own actor. */

const COMMON_USERS = [
  'admin', 'test', 'user', 'oracle', 'postgres', 'ubuntu', 'guest', 'ftpuser', 'git', 'jenkins', 'support',
  'pi', 'mysql', 'www', 'web', 'dev', 'devops', 'hadoop', 'nagios', 'tomcat', 'minecraft', 'teamspeak',
  'vagrant', 'ec2-user', 'centos', 'debian', 'steam', 'ts3', 'odoo', 'elastic', 'kafka', 'redis', 'zabbix',
  'sysadmin', 'administrator', 'operator', 'service', 'info', 'sales', 'office', 'student', 'server',
  'user1', 'test1', 'test2', 'demo', 'ftp', 'www-data', 'solr', 'es', 'docker', 'ansible', 'gitlab',
  'webmaster', 'sftp', 'uucp', 'backup', 'temp', 'testuser', 'adm', 'default', 'manager', 'root1',
];

/** Account names an outside attacker tries: common names first, then numbered variants. */
export function guessedUsers(rng: Rng, count: number, exclude: ReadonlySet<string>): string[] {
  const base = rng.shuffle(COMMON_USERS.filter((u) => !exclude.has(u)));
  const out = base.slice(0, count);
  for (let i = 0; out.length < count; i++) {
    const name = `${base[i % base.length]}${Math.floor(i / base.length) + 2}`;
    if (!exclude.has(name)) out.push(name);
  }
  return out;
}

export function attackerWrite(ctx: HostContext, spec: ActorSpec): Write {
  const actor = ctx.book.add(spec);
  return (ts, file, tail) => ctx.timeline.emit(ts, file, actor, '', tail);
}

/**
 * One sshd connection guessing `user`'s password `attempts` times (at most six, sshd's
 * MaxAuthTries). Returns the time after the connection closed.
 */
export function passwordGuesses(
  ctx: HostContext, w: Write, t: number, ip: string, user: string, attempts: number, gap: () => number,
): number {
  const { log, ids } = ctx;
  const pid = ids.pid(t);
  const port = ids.port();
  w(t, ctx.auth, authFailure(log, pid, ip, user));
  for (let i = 0; i < attempts; i++) {
    if (i > 0) t += gap();
    w(t + 2, ctx.auth, log.sshd(pid, `Failed password for ${user} from ${ip} port ${port} ssh2`));
  }
  t += 50;
  if (attempts >= 6) {
    w(t, ctx.auth, log.sshd(pid, `error: maximum authentication attempts exceeded for ${user} from ${ip} port ${port} ssh2 [preauth]`));
    w(t, ctx.auth, log.sshd(pid, `Disconnecting authenticating user ${user} ${ip} port ${port}: Too many authentication failures [preauth]`));
  } else {
    w(t, ctx.auth, log.sshd(pid, `Connection closed by authenticating user ${user} ${ip} port ${port} [preauth]`));
  }
  if (attempts > 1) {
    w(t + 1, ctx.auth, log.sshd(pid, `PAM ${attempts - 1} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`));
  }
  return t + 1;
}

/** Guesses spread over connections of up to six tries, as hydra or a botnet node sends them. */
export function guessingRun(
  ctx: HostContext, w: Write, rng: Rng, t: number, ip: string, user: string, attempts: number, gap: () => number,
): number {
  let left = attempts;
  while (left > 0) {
    const n = Math.min(left, rng.chance(0.7) ? 6 : rng.range(1, 5));
    t = passwordGuesses(ctx, w, t, ip, user, n, gap) + rng.range(300, 2000);
    left -= n;
  }
  return t;
}

export function planSshAttacks(ctx: HostContext, rng: Rng): void {
  const { attackers } = ctx.cast;
  const taken = new Set([
    ...ctx.cast.people.map((p) => p.name), ctx.cast.compromised.name, ctx.cast.contractor.name,
    ctx.cast.backdoorUser, 'root', 'ansible', 'borg',
  ]);

  {
    const r = rng.fork('brute');
    const attempts = scaled(ctx.authTarget, 0.01, 40, 3000);
    const w = attackerWrite(ctx, {
      id: 'ssh-bruteforce', ip: attackers.sshBrute, kind: 'attacker', category: 'ssh-bruteforce', users: ['root'],
      description: `SSH password brute force against root, ${attempts} guesses`,
    });
    const t = windowStart(ctx.timeline, r, attempts * 2.3 * SECOND);
    guessingRun(ctx, w, r, t, attackers.sshBrute, 'root', attempts, () => r.range(900, 3000));
  }

  {
    const r = rng.fork('spray');
    const users = guessedUsers(r, scaled(ctx.authTarget, 0.002, 12, 200), taken);
    const ip = attackers.spray;
    const w = attackerWrite(ctx, {
      id: 'ssh-password-spraying', ip, kind: 'attacker', category: 'ssh-password-spraying', users,
      description: `Password spraying: one or two common passwords against ${users.length} account names`,
    });
    let t = windowStart(ctx.timeline, r, users.length * 50 * SECOND);
    for (const user of users) {
      const pid = ctx.ids.pid(t);
      const port = ctx.ids.port();
      const attempts = r.chance(0.7) ? 1 : 2;
      w(t, ctx.auth, ctx.log.sshd(pid, `Invalid user ${user} from ${ip} port ${port}`));
      w(t + 300, ctx.auth, ctx.log.sshd(pid, 'pam_unix(sshd:auth): check pass; user unknown'));
      w(t + 300, ctx.auth, authFailure(ctx.log, pid, ip, null));
      let at = t + 2 * SECOND;
      for (let i = 0; i < attempts; i++) {
        w(at, ctx.auth, ctx.log.sshd(pid, `Failed password for invalid user ${user} from ${ip} port ${port} ssh2`));
        at += r.range(2, 4) * SECOND;
      }
      w(at, ctx.auth, ctx.log.sshd(pid, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`));
      t = at + r.lognormal(40 * SECOND, 0.5);
    }
  }

  {
    const r = rng.fork('enum');
    const users = guessedUsers(r, scaled(ctx.authTarget, 0.002, 15, 300), taken);
    const ip = attackers.enumeration;
    const w = attackerWrite(ctx, {
      id: 'ssh-user-enumeration', ip, kind: 'attacker', category: 'ssh-invalid-user-enumeration', users,
      description: `Probing ${users.length} account names without trying passwords`,
    });
    let t = windowStart(ctx.timeline, r, users.length * 2 * SECOND);
    for (const user of users) {
      const pid = ctx.ids.pid(t);
      const port = ctx.ids.port();
      w(t, ctx.auth, ctx.log.sshd(pid, `Invalid user ${user} from ${ip} port ${port}`));
      if (r.chance(0.8)) {
        w(t + r.range(50, 400), ctx.auth, ctx.log.sshd(pid, `Connection closed by invalid user ${user} ${ip} port ${port} [preauth]`));
      } else {
        w(t + 80, ctx.auth, ctx.log.sshd(pid, `Received disconnect from ${ip} port ${port}:11: Bye Bye [preauth]`));
        w(t + 81, ctx.auth, ctx.log.sshd(pid, `Disconnected from invalid user ${user} ${ip} port ${port} [preauth]`));
      }
      t += r.range(500, 3000);
    }
  }

  {
    const r = rng.fork('root');
    const ip = attackers.rootLogin;
    const w = attackerWrite(ctx, {
      id: 'ssh-root-login', ip, kind: 'attacker', category: 'ssh-root-login', users: ['root'],
      description: 'Password login as root from an outside address',
    });
    const logins = r.range(1, 2);
    for (let i = 0; i < logins; i++) {
      const t = windowStart(ctx.timeline, r, 30 * MINUTE, 0.1 + i * 0.45, 0.5 + i * 0.45);
      const login = openLogin(ctx, w, t, { name: 'root', uid: 0 }, ip, 'password');
      if (login) closeLogin(ctx, w, t + r.range(3, 25) * MINUTE, login);
    }
  }

  {
    const r = rng.fork('sudo-failure');
    const person = ctx.cast.contractor;
    const ip = person.ips[0] ?? attackers.rootLogin;
    const w = attackerWrite(ctx, {
      id: 'sudo-failure', ip, kind: 'attacker', category: 'sudo-failure', users: [person.name],
      description: `${person.name}, outside the sudo group, tries to become root`,
    });
    let t = windowStart(ctx.timeline, r, 40 * MINUTE, 0.15, 0.85);
    const login = openLogin(ctx, w, t, person, ip, 'password');
    if (!login) throw new Error('the sudo-failure login falls outside the period');
    const home = `/home/${person.name}`;
    const where = `TTY=${login.tty} ; PWD=${home} ; USER=root`;
    for (const command of ['/usr/bin/cat /etc/shadow', '/bin/bash']) {
      t += r.range(30, 240) * SECOND;
      w(t, ctx.auth, ctx.log.sudo(person.name, `user NOT in sudoers ; ${where} ; COMMAND=${command}`));
    }
    t += r.range(20, 90) * SECOND;
    w(t, ctx.auth, ctx.log.sudoPam(`auth): authentication failure; logname=${person.name} uid=${person.uid} euid=0 tty=/dev/${login.tty} ruser=${person.name} rhost=  user=${person.name}`));
    t += r.range(8, 20) * SECOND;
    w(t, ctx.auth, ctx.log.sudo(person.name, `3 incorrect password attempts ; ${where} ; COMMAND=/usr/bin/su -`));
    closeLogin(ctx, w, t + r.range(2, 15) * MINUTE, login);
  }
}
