import type { ActorBook } from './actors.ts';
import type { Cast } from './cast.ts';
import { DAY, SECOND } from './clock.ts';
import type { Rng } from './prng.ts';
import type { Timeline } from './timeline.ts';

/**
 * The Debian host behind auth.log and syslog: its daemons' fixed pids, process and session
 * numbering, and the message shapes of sshd, PAM, sudo and systemd-logind (OpenSSH 9, sudo 1.9).
 */

export interface HostContext {
  timeline: Timeline;
  book: ActorBook;
  cast: Cast;
  rng: Rng;
  /** File indices in the timeline. */
  auth: number;
  syslog: number;
  authTarget: number;
  syslogTarget: number;
  ids: HostIds;
  log: HostLines;
}

/** Writes one line of an actor; false once nothing more can be written (period over, budget spent). */
export type Write = (ts: number, file: number, tail: string) => boolean;

export interface Account {
  name: string;
  uid: number;
}

export const PIDS = { rsyslogd: 541, logind: 612, dhclient: 488, cron: 603, phpFpm: 774, postfixMaster: 1187 } as const;

/** Numbers that grow with time as on a real host, so pids and session ids look plausible anywhere. */
export class HostIds {
  private readonly start: number;
  private readonly rng: Rng;
  private readonly sessions = new Set<number>();
  readonly bootTime: number;

  constructor(start: number, rng: Rng) {
    this.start = start;
    this.rng = rng;
    this.bootTime = start - (9 * DAY + rng.int(DAY));
  }

  pid(ts: number): number {
    return 2000 + Math.floor(((ts - this.start) / SECOND) * 0.9) + this.rng.int(8);
  }

  session(ts: number): number {
    let id = 40 + Math.floor((ts - this.start) / (20 * SECOND));
    while (this.sessions.has(id)) id++;
    this.sessions.add(id);
    return id;
  }

  port(): number {
    return this.rng.range(32768, 60999);
  }

  /** `12345.678901`, the kernel's seconds since boot. */
  uptime(ts: number): string {
    const s = (ts - this.bootTime) / SECOND;
    return `${Math.floor(s).toString().padStart(5, ' ')}.${String(this.rng.int(1_000_000)).padStart(6, '0')}`;
  }
}

/** The text after the timestamp of an RFC 3164 line: `host tag[pid]: message`. */
export class HostLines {
  readonly host: string;

  constructor(host: string) {
    this.host = host;
  }

  prog(name: string, pid: number | null, message: string): string {
    return pid === null ? `${this.host} ${name}: ${message}` : `${this.host} ${name}[${pid}]: ${message}`;
  }

  sshd(pid: number, message: string): string {
    return `${this.host} sshd[${pid}]: ${message}`;
  }

  logind(message: string): string {
    return `${this.host} systemd-logind[${PIDS.logind}]: ${message}`;
  }

  systemd(message: string): string {
    return `${this.host} systemd[1]: ${message}`;
  }

  /** sudo's own format: the user right-aligned, then `;`-separated fields. */
  sudo(user: string, message: string): string {
    return `${this.host} sudo: ${user.padStart(8)} : ${message}`;
  }

  sudoPam(message: string): string {
    return `${this.host} sudo: pam_unix(sudo:${message}`;
  }
}

export interface Login {
  account: Account;
  ip: string;
  port: number;
  pid: number;
  session: number;
  tty: string;
}

export function authFailure(log: HostLines, pid: number, ip: string, user: string | null): string {
  const who = user === null ? '' : `  user=${user}`;
  return log.sshd(pid, `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}${who}`);
}

/** Accepted login: sshd, PAM session and logind lines. Null when the first line could not be written. */
export function openLogin(
  ctx: HostContext, w: Write, t: number, account: Account, ip: string,
  method: 'password' | 'publickey', fingerprint = '',
): Login | null {
  const { log, ids, rng } = ctx;
  const login: Login = {
    account, ip, port: ids.port(), pid: ids.pid(t), session: ids.session(t), tty: `pts/${rng.int(4)}`,
  };
  const how = method === 'publickey' ? `publickey for ${account.name} from ${ip} port ${login.port} ssh2: ED25519 SHA256:${fingerprint}`
    : `password for ${account.name} from ${ip} port ${login.port} ssh2`;
  if (!w(t, ctx.auth, log.sshd(login.pid, `Accepted ${how}`))) return null;
  w(t + 4, ctx.auth, log.sshd(login.pid, `pam_unix(sshd:session): session opened for user ${account.name}(uid=${account.uid}) by (uid=0)`));
  w(t + 19, ctx.auth, log.logind(`New session ${login.session} of user ${account.name}.`));
  return login;
}

export function closeLogin(ctx: HostContext, w: Write, t: number, login: Login): boolean {
  const { log } = ctx;
  const { pid, ip, port, account, session } = login;
  return w(t, ctx.auth, log.sshd(pid, `Received disconnect from ${ip} port ${port}:11: disconnected by user`)) &&
    w(t + 1, ctx.auth, log.sshd(pid, `Disconnected from user ${account.name} ${ip} port ${port}`)) &&
    w(t + 3, ctx.auth, log.sshd(pid, `pam_unix(sshd:session): session closed for user ${account.name}`)) &&
    w(t + 9, ctx.auth, log.logind(`Session ${session} logged out. Waiting for processes to exit.`)) &&
    w(t + 15, ctx.auth, log.logind(`Removed session ${session}.`));
}

/** A successful sudo: the command line, then the root PAM session around it. */
export function sudoCommand(
  ctx: HostContext, w: Write, t: number, login: Login, pwd: string, command: string, duration: number,
): boolean {
  const { log } = ctx;
  const { name, uid } = login.account;
  return w(t, ctx.auth, log.sudo(name, `TTY=${login.tty} ; PWD=${pwd} ; USER=root ; COMMAND=${command}`)) &&
    w(t + 2, ctx.auth, log.sudoPam(`session): session opened for user root(uid=0) by ${name}(uid=${uid})`)) &&
    w(t + duration, ctx.auth, log.sudoPam('session): session closed for user root'));
}
