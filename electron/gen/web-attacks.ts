import { offsets, scaled, windowStart } from './budget.ts';
import { MINUTE, SECOND } from './clock.ts';
import type { Rng } from './prng.ts';
import type { AttackCategory } from './types.ts';
import type { WebContext } from './web-benign.ts';
import {
  cmdInjectionRequest, DIR_BRUTE_UAS, LIGHT_SCANNER_UAS, log4shellRequest, probeStatus, SCANNER_PROBES,
  SCANNER_UAS, sqliRequest, traversalRequest, wordlistPath, xssRequest, type AttackRequest,
} from './web-payloads.ts';
import { BROWSER_UAS, combinedHead, combinedTail, PAGES } from './web-site.ts';

const SCRIPT_UAS = ['python-requests/2.32.3', 'curl/8.5.0', 'Go-http-client/1.1'];

function browserUa(rng: Rng): string {
  return rng.pick(BROWSER_UAS)[0];
}

interface Campaign {
  id: string;
  ip: string;
  category: AttackCategory;
  description: string;
  userAgent: string;
  /** Request times relative to the campaign's start. */
  times: number[];
  request: (i: number) => AttackRequest;
}

/** Registers the attacker and queues its requests inside one window of the period. */
function run(ctx: WebContext, rng: Rng, c: Campaign): void {
  const actor = ctx.book.add({
    id: c.id, ip: c.ip, kind: 'attacker', category: c.category, userAgent: c.userAgent, description: c.description,
  });
  const begin = windowStart(ctx.timeline, rng, c.times[c.times.length - 1] ?? 0);
  const head = combinedHead(c.ip);
  c.times.forEach((offset, i) => {
    const r = c.request(i);
    ctx.timeline.emit(begin + offset, ctx.file, actor, head,
      combinedTail(r.method, r.url, r.status, r.bytes, r.referrer ?? '-', r.userAgent ?? c.userAgent));
  });
}

/** Queues every web attacker; each appears whatever the size of the log. */
export function planWebAttacks(ctx: WebContext): void {
  const rng = ctx.rng.fork('attacks');
  const n = ctx.target;
  const { attackers, c2 } = ctx.cast;

  dirBruteforce(ctx, rng.fork('dir'), scaled(n, 0.004, 120, 4000));

  const scanner = rng.pick(SCANNER_UAS);
  const scanRng = rng.fork('scanner');
  const testBase = scanRng.range(100, 9000);
  run(ctx, scanRng, {
    id: 'web-scanner', ip: attackers.scanner, category: 'web-scanner-ua', userAgent: scanner.userAgent(testBase),
    description: `${scanner.name} scanning for known files and misconfigurations`,
    times: offsets(scaled(n, 0.002, 60, 2000), () => scanRng.exp(SECOND / scanRng.range(3, 12))),
    request: (i) => {
      const path = i < SCANNER_PROBES.length ? (SCANNER_PROBES[i] as string) : scanRng.pick(scanRng.chance(0.7) ? SCANNER_PROBES : PAGES.map((p) => p.path));
      const page = PAGES.find((p) => p.path === path);
      const { status, bytes } = page ? { status: 200, bytes: page.bytes } : probeStatus(path);
      const method = scanRng.chance(0.9) ? 'GET' : 'HEAD';
      return { method, url: path, status, bytes: method === 'HEAD' ? 0 : bytes, userAgent: scanner.userAgent(testBase + i) };
    },
  });

  lightScanner(ctx, rng.fork('light'), scaled(n, 0.0002, 6, 60));

  const sqliRng = rng.fork('sqli');
  const sqlmap = sqliRng.chance(0.5);
  run(ctx, sqliRng, {
    id: 'web-sqli', ip: attackers.sqli, category: 'web-sqli',
    userAgent: sqlmap ? 'sqlmap/1.8.11#stable (https://sqlmap.org)' : browserUa(sqliRng),
    description: sqlmap ? 'sqlmap probing parameters for SQL injection' : 'Hand-crafted SQL injection attempts',
    times: offsets(scaled(n, 0.0006, 15, 400), () => sqlmap ? sqliRng.range(200, 2000) : sqliRng.lognormal(8 * SECOND, 0.7)),
    request: () => sqliRequest(sqliRng),
  });

  const xssRng = rng.fork('xss');
  run(ctx, xssRng, {
    id: 'web-xss', ip: attackers.xss, category: 'web-xss', userAgent: xssRng.chance(0.5) ? browserUa(xssRng) : 'python-requests/2.32.3',
    description: 'Reflected cross-site scripting probes in query parameters',
    times: offsets(scaled(n, 0.0004, 10, 300), () => xssRng.lognormal(5 * SECOND, 0.8)),
    request: () => xssRequest(xssRng),
  });

  const lfiRng = rng.fork('traversal');
  run(ctx, lfiRng, {
    id: 'web-path-traversal', ip: attackers.traversal, category: 'web-path-traversal',
    userAgent: lfiRng.pick([...SCRIPT_UAS, browserUa(lfiRng)]),
    description: 'Path traversal and local file inclusion (../, %2e%2e%2f, php://filter)',
    times: offsets(scaled(n, 0.0004, 10, 300), () => lfiRng.lognormal(3 * SECOND, 0.9)),
    request: () => traversalRequest(lfiRng),
  });

  const cmdRng = rng.fork('cmd');
  run(ctx, cmdRng, {
    id: 'web-cmd-injection', ip: attackers.cmdInjection, category: 'web-cmd-injection',
    userAgent: cmdRng.pick(SCRIPT_UAS),
    description: `OS command injection in tool parameters, fetching payloads from ${c2.payload}`,
    times: offsets(scaled(n, 0.0003, 8, 200), () => cmdRng.lognormal(4 * SECOND, 0.8)),
    request: () => cmdInjectionRequest(cmdRng, c2.payload),
  });

  const jndiRng = rng.fork('log4shell');
  const jndiUa = browserUa(jndiRng);
  run(ctx, jndiRng, {
    id: 'web-log4shell', ip: attackers.log4shell, category: 'web-log4shell', userAgent: jndiUa,
    description: `Log4Shell (CVE-2021-44228) JNDI lookups to ${c2.ldap} in the URL, User-Agent and Referer`,
    times: offsets(scaled(n, 0.0002, 6, 150), () => jndiRng.range(200, 3000)),
    request: () => log4shellRequest(jndiRng, c2.ldap, jndiUa),
  });
}

/** Wordlist bursts: hundreds of requests a minute, nearly all 404, one to three runs in a day. */
function dirBruteforce(ctx: WebContext, rng: Rng, count: number): void {
  const userAgent = rng.pick(DIR_BRUTE_UAS);
  const bursts = count >= 600 ? rng.range(2, 3) : 1;
  const times: number[] = [];
  let t = 0;
  for (let b = 0; b < bursts; b++) {
    const size = b === bursts - 1 ? count - times.length : Math.floor(count / bursts);
    const rate = rng.range(3, 15);
    for (const offset of offsets(size, () => rng.exp(SECOND / rate))) times.push(t + offset);
    t = (times[times.length - 1] ?? 0) + rng.range(10, 120) * MINUTE;
  }
  let word = rng.int(400);
  run(ctx, rng, {
    id: 'web-dir-bruteforce', ip: ctx.cast.attackers.dirBrute, category: 'web-dir-bruteforce', userAgent,
    description: `Directory brute force with a wordlist (${userAgent.split(/[/ ]/)[0]}), ${bursts} burst(s)`,
    times,
    request: () => {
      const url = wordlistPath(word++);
      return { method: 'GET', url, ...probeStatus(url) };
    },
  });
}

/** Internet-wide scanners: a handful of fingerprinting requests, coming back every few hours. */
function lightScanner(ctx: WebContext, rng: Rng, count: number): void {
  const kind = rng.pick(LIGHT_SCANNER_UAS);
  const { timeline } = ctx;
  const ip = ctx.cast.attackers.lightScanner;
  const actor = ctx.book.add({
    id: 'web-light-scanner', ip, kind: 'attacker', category: 'web-scanner-ua', userAgent: kind.userAgent,
    description: `${kind.name} fingerprinting the web server`,
  });
  const head = combinedHead(ip);
  const span = timeline.end - timeline.start;
  let emitted = 0;
  while (emitted < count) {
    let t = timeline.start + (0.02 + rng.next() * 0.96) * span;
    for (const path of kind.paths) {
      if (emitted >= count) break;
      const { status, bytes } = probeStatus(path);
      if (timeline.emit(t, ctx.file, actor, head, combinedTail('GET', path, status, bytes, '-', kind.userAgent))) emitted++;
      t += rng.range(100, 1500);
    }
  }
}
