import type { Rng } from './prng.ts';

/**
 * Who appears in a scenario. The cast depends on the seed only, so a seed gives the same attacker
 * and admin addresses in `web`, `auth` and `mixed`; in `mixed` the same addresses show up in
 * several files, as they would on a real host.
 */

/** First octets benign clients come from: ordinary ISP space, none shared with attacker pools. */
const CLIENT_OCTETS = [
  2, 5, 24, 31, 37, 62, 67, 68, 70, 71, 72, 73, 75, 76, 77, 78, 79, 81, 82, 83, 84, 86, 88, 90,
  92, 93, 94, 95, 98, 99, 108, 109, 174, 176, 178, 188, 212, 213, 217,
];

/** Attackers: the documentation ranges plus hosting space typical of scanners and VPS abuse. */
const ATTACKER_POOLS = ['203.0.113', '198.51.100', '192.0.2', '45.*', '185.220.101', '193.32.162', '91.240.118'];

export class IpAllocator {
  private readonly used = new Set<string>();
  private readonly rng: Rng;
  private attackerTurn = 0;
  private readonly attackerPools: string[];

  constructor(rng: Rng) {
    this.rng = rng;
    this.attackerPools = rng.shuffle(ATTACKER_POOLS);
  }

  /** A fresh address under a prefix of one to three octets (`*` for a random octet). */
  under(prefix: string): string {
    const parts = prefix.split('.');
    for (let attempt = 0; attempt < 1000; attempt++) {
      const octets = parts.map((p) => (p === '*' ? String(this.rng.range(1, 254)) : p));
      while (octets.length < 3) octets.push(String(this.rng.range(0, 255)));
      octets.push(String(this.rng.range(2, 254)));
      const ip = octets.join('.');
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error(`no free address left under ${prefix}`);
  }

  client(): string {
    return this.under(String(this.rng.pick(CLIENT_OCTETS)));
  }

  /** Attacker addresses rotate through the pools, so a scenario's attackers look varied. */
  attacker(): string {
    const pool = this.attackerPools[this.attackerTurn++ % this.attackerPools.length] as string;
    return this.under(pool);
  }
}

export interface Person {
  name: string;
  uid: number;
  /** Member of the sudo group; the only benign accounts that ever run sudo. */
  admin: boolean;
  method: 'publickey' | 'password';
  /** Addresses the person logs in from (office, home, VPN). */
  ips: string[];
  /** SHA256 fingerprint of the person's key, as sshd prints it. */
  keyFingerprint: string;
}

export interface Cast {
  host: string;
  site: string;
  ips: IpAllocator;
  people: Person[];
  /** A sudo-capable service account nobody uses legitimately; the intruder guesses its password. */
  compromised: Person;
  /** A user outside the sudo group who tries to get root anyway. */
  contractor: Person;
  /** The privileged account the intruder creates. */
  backdoorUser: string;
  attackers: {
    dirBrute: string;
    scanner: string;
    lightScanner: string;
    sqli: string;
    xss: string;
    traversal: string;
    cmdInjection: string;
    log4shell: string;
    /** Same host as the directory brute-forcer: noisy bots try SSH too. */
    sshBrute: string;
    spray: string;
    /** Same host as the web scanner: recon covers every open port. */
    enumeration: string;
    intruder: string;
    rootLogin: string;
  };
  /** Attacker infrastructure named in payloads: downloads, reverse shells, JNDI lookups. */
  c2: { payload: string; shell: string; shellPort: number; ldap: string };
}

const ADMIN_NAMES = ['alice', 'bob', 'chen', 'dana', 'erik', 'farah'];
const USER_NAMES = ['gina', 'hugo', 'ivan', 'julia', 'kemal', 'lena', 'marco', 'nora'];
const CONTRACTOR_NAMES = ['contractor', 'intern', 'temp01', 'extdev'];
const BACKDOOR_NAMES = ['sysupd', 'backup2', 'support1', 'svc-maint'];
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** 43 base64 characters: how sshd prints a key's SHA256 fingerprint. */
export function fingerprint(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 43; i++) s += BASE64[rng.int(64)];
  return s;
}

export function createCast(rng: Rng): Cast {
  const ips = new IpAllocator(rng.fork('ips'));
  const office = ips.client();
  const vpn = (): string => ips.under('10.8.0');
  let uid = 1000;
  const person = (name: string, admin: boolean, method: Person['method'], where: string[]): Person => ({
    name, uid: uid++, admin, method, ips: where, keyFingerprint: fingerprint(rng),
  });
  const admins = rng.sample(ADMIN_NAMES, 3).map((name) => person(name, true, 'publickey', [office, ips.client(), vpn()]));
  const users = rng.sample(USER_NAMES, 4).map((name, i) =>
    person(name, false, i === 3 ? 'publickey' : 'password', [office, ips.client()]));
  const compromised = person('deploy', true, 'password', []);
  const contractorIp = ips.attacker();
  const contractor = person(rng.pick(CONTRACTOR_NAMES), false, 'password', [contractorIp]);

  const dirBrute = ips.attacker();
  const scanner = ips.attacker();
  return {
    host: 'web01',
    site: 'www.example.com',
    ips,
    people: [...admins, ...users],
    compromised,
    contractor,
    backdoorUser: rng.pick(BACKDOOR_NAMES),
    attackers: {
      dirBrute,
      scanner,
      lightScanner: ips.attacker(),
      sqli: ips.attacker(),
      xss: ips.attacker(),
      traversal: ips.attacker(),
      cmdInjection: ips.attacker(),
      log4shell: ips.attacker(),
      sshBrute: dirBrute,
      spray: ips.attacker(),
      enumeration: scanner,
      intruder: ips.attacker(),
      rootLogin: ips.attacker(),
    },
    c2: { payload: ips.attacker(), shell: ips.attacker(), shellPort: rng.pick([4444, 4443, 9001, 1337, 8443]), ldap: ips.attacker() },
  };
}
