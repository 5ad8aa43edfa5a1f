import { fingerprint, type Person } from './cast.ts';
import { DAY, HOUR, MINUTE, officeHours, RateCurve, SECOND } from './clock.ts';
import { authFailure, closeLogin, openLogin, sudoCommand, type Account, type HostContext, type Write } from './host.ts';
import { Weighted } from './prng.ts';
import type { Driver } from './timeline.ts';

/** What admins run with sudo on a web server: nothing a detection should mind. */
const ADMIN_COMMANDS = [
  '/usr/bin/apt-get update', '/usr/bin/apt-get -y upgrade', '/usr/bin/systemctl restart apache2',
  '/usr/bin/systemctl status apache2', '/usr/bin/journalctl -u apache2 --since today',
  '/usr/bin/tail -n 200 /var/log/apache2/error.log', '/usr/bin/less /var/log/syslog', '/usr/sbin/apachectl configtest',
  '/usr/bin/certbot renew --dry-run', '/usr/bin/df -h', '/usr/bin/du -sh /var/www', '/usr/sbin/ufw status',
  '/usr/bin/vim /etc/apache2/sites-available/000-default.conf', '/usr/bin/systemctl reload apache2',
];
const ANSIBLE_MODULES = ['apt', 'copy', 'template', 'service', 'stat', 'file', 'command', 'setup', 'lineinfile'];
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * People log in at office hours from their usual addresses: admins with keys (and sudo), users
 * with passwords and an occasional single typo. Configuration management (Ansible) and a backup
 * pull make up the volume beyond what a handful of people produce, as on real servers.
 */
export function createAuthDriver(ctx: HostContext): Driver {
  const { book, cast, timeline } = ctx;
  const rng = ctx.rng.fork('auth-benign');

  const byIp = new Map<string, Person[]>();
  for (const person of cast.people) {
    for (const ip of person.ips) byIp.set(ip, [...(byIp.get(ip) ?? []), person]);
  }
  const actorOf = new Map<string, number>();
  for (const [ip, people] of byIp) {
    const names = people.map((p) => p.name);
    actorOf.set(ip, book.add({
      id: `ssh-${ip}`, ip, kind: 'benign', category: 'benign-admin', users: names,
      description: people.length > 1 ? `Office address shared by ${names.join(', ')}` : `${names[0]} logging in`,
    }));
  }
  const ansible: Account = { name: 'ansible', uid: 997 };
  const borg: Account = { name: 'borg', uid: 996 };
  const ansibleIp = cast.ips.under('10.0.0');
  const borgIp = cast.ips.under('10.0.0');
  const ansibleActor = book.add({
    id: 'ssh-ansible', ip: ansibleIp, kind: 'benign', category: 'benign-admin', users: ['ansible'],
    description: 'Ansible runs from the configuration host, with sudo',
  });
  const borgActor = book.add({
    id: 'ssh-borg-backup', ip: borgIp, kind: 'benign', category: 'benign-admin', users: ['borg'],
    description: 'Backup server pulling with borg over SSH',
  });
  const keys = new Map([ansible, borg].map((a) => [a.name, fingerprint(rng)]));
  const people = new Weighted(cast.people.map((p) => [p, p.admin ? 1.5 : 1] as const));

  let remaining = 0;
  let count = 0;
  let actor = 0;
  const w: Write = (ts, file, tail) => {
    if (remaining <= 0 || !timeline.emit(ts, file, actor, '', tail)) return false;
    remaining--;
    count++;
    return true;
  };

  function humanSession(t: number): void {
    const person = people.draw(rng);
    const roll = rng.next();
    const ip = (person.ips[roll < 0.55 ? 0 : roll < 0.8 || person.ips.length < 3 ? 1 : 2] ?? person.ips[0]) as string;
    actor = actorOf.get(ip) as number;
    if (person.method === 'password' && rng.chance(0.1)) {
      // One mistyped password, then the right one on the same connection.
      const pid = ctx.ids.pid(t);
      if (!w(t, ctx.auth, authFailure(ctx.log, pid, ip, person.name))) return;
      w(t + 2, ctx.auth, ctx.log.sshd(pid, `Failed password for ${person.name} from ${ip} port ${ctx.ids.port()} ssh2`));
      t += rng.range(3, 12) * SECOND;
    }
    const login = openLogin(ctx, w, t, person, ip, person.method, person.keyFingerprint);
    if (!login) return;
    const length = Math.min(8 * HOUR, rng.lognormal(20 * MINUTE, 1));
    if (person.admin) {
      const commands = rng.range(0, 4);
      let at = t;
      for (let i = 0; i < commands; i++) {
        at += rng.next() * (length / (commands + 1));
        if (!sudoCommand(ctx, w, at, login, `/home/${person.name}`, rng.pick(ADMIN_COMMANDS), rng.range(300, 40_000))) return;
      }
    }
    closeLogin(ctx, w, t + length, login);
  }

  function ansibleRun(t: number): void {
    actor = ansibleActor;
    const login = openLogin(ctx, w, t, ansible, ansibleIp, 'publickey', keys.get('ansible'));
    if (!login) return;
    const tasks = rng.range(2, 8);
    let at = t + rng.range(500, 2000);
    for (let i = 0; i < tasks; i++) {
      let marker = '';
      for (let k = 0; k < 32; k++) marker += LOWER[rng.int(26)];
      const tmp = `/home/ansible/.ansible/tmp/ansible-tmp-${Math.floor(at / 1000)}.${rng.range(1000, 9999)}-${rng.range(10_000, 99_999)}-${rng.range(10 ** 13, 10 ** 14 - 1)}`;
      const command = `/bin/sh -c echo BECOME-SUCCESS-${marker} ; /usr/bin/python3 ${tmp}/AnsiballZ_${rng.pick(ANSIBLE_MODULES)}.py`;
      if (!sudoCommand(ctx, w, at, login, '/home/ansible', command, rng.range(400, 3000))) return;
      at += rng.range(1500, 5000);
    }
    closeLogin(ctx, w, at + rng.range(500, 2000), login);
  }

  function backupPull(t: number): void {
    actor = borgActor;
    const login = openLogin(ctx, w, t, borg, borgIp, 'publickey', keys.get('borg'));
    if (login) closeLogin(ctx, w, t + rng.range(30, 600) * SECOND, login);
  }

  // People produce a realistic, fixed volume at office hours; automation, around the clock, takes
  // the rest of a large budget. At each moment the episode is a person's with the share people
  // have of the activity at that hour.
  const days = (timeline.end - timeline.start) / DAY;
  const humanLines = cast.people.length * 3 * days * 13;
  const humanShare = Math.min(0.85, Math.max(0.02, humanLines / ctx.authTarget));
  const officeMean = 0.48;
  const human = (hour: number, weekday: number): number => (humanShare / officeMean) * officeHours(hour, weekday);
  const rate = (hour: number, weekday: number): number => human(hour, weekday) + (1 - humanShare);

  return {
    file: ctx.auth,
    rng,
    curve: new RateCurve(timeline.start, timeline.end, rate),
    meanLines: 14,
    episode(t, budget) {
      remaining = budget;
      count = 0;
      const d = new Date(t);
      const pHuman = human(d.getUTCHours(), d.getUTCDay()) / rate(d.getUTCHours(), d.getUTCDay());
      const roll = rng.next();
      if (roll < pHuman) humanSession(t);
      else if (roll < pHuman + (1 - pHuman) * 0.85) ansibleRun(t);
      else backupPull(t);
      return count;
    },
  };
}
