import type { ActorBook } from './actors.ts';
import type { Cast } from './cast.ts';
import { browsingHours, DAY, MINUTE, RateCurve, SECOND } from './clock.ts';
import { Weighted, type Rng } from './prng.ts';
import type { Driver, Timeline } from './timeline.ts';
import {
  ADMIN_PAGES, ASSETS, BOTS, BROWSER_UAS, combinedHead, combinedTail, EXTERNAL_REFERRERS, NOT_FOUND_BYTES,
  PAGES, SEARCH_TERMS, STALE_PATHS, UPTIME_MONITOR, type Page,
} from './web-site.ts';

export interface WebContext {
  timeline: Timeline;
  book: ActorBook;
  cast: Cast;
  rng: Rng;
  file: number;
  /** Lines access.log gets in total. */
  target: number;
}

interface Client {
  actor: number;
  head: string;
  userAgent: string;
  visited: boolean;
}

const pageTable = new Weighted(PAGES.map((p) => [p, p.weight] as const));
const adminTable = new Weighted(ADMIN_PAGES.map((p) => [p, p.weight] as const));
const uaTable = new Weighted(BROWSER_UAS);
const botTable = new Weighted(BOTS.map((b) => [b, b.weight] as const));

function size(rng: Rng, bytes: number): number {
  return Math.round(bytes * (0.96 + rng.next() * 0.08));
}

/** A site monitor requesting the home page at a fixed interval: periodic, so planned up front. */
export function planUptimeMonitor(ctx: WebContext): void {
  const { timeline, rng } = ctx;
  const span = timeline.end - timeline.start;
  const every = Math.max(5 * MINUTE, Math.ceil(span / (0.02 * ctx.target) / MINUTE) * MINUTE);
  const ip = ctx.cast.ips.under(UPTIME_MONITOR.prefix);
  const actor = ctx.book.add({
    id: 'web-uptime-monitor', ip, kind: 'benign', category: 'benign-bot', userAgent: UPTIME_MONITOR.userAgent,
    description: `Uptime monitor: HEAD / every ${every / MINUTE} minutes`,
  });
  const head = combinedHead(ip);
  const tail = combinedTail('HEAD', '/', 200, 0, `https://${ctx.cast.site}/`, UPTIME_MONITOR.userAgent);
  const offset = rng.int(every);
  for (let t = timeline.start + offset; t < timeline.end; t += every) {
    timeline.emit(t + rng.int(900), ctx.file, actor, head, tail);
  }
}

/** Visitors browsing, search engines crawling and admins in the back office, visit by visit. */
export function createBrowsingDriver(ctx: WebContext): Driver {
  const { timeline, book, cast, file } = ctx;
  const rng = ctx.rng.fork('browsing');
  const origin = `https://${cast.site}`;

  const clientCount = Math.min(5000, Math.max(25, Math.round(ctx.target / 400)));
  const clients: Client[] = [];
  for (let i = 0; i < clientCount; i++) {
    const ip = cast.ips.client();
    const userAgent = uaTable.draw(rng);
    const actor = book.add({
      id: `web-visitor-${String(i + 1).padStart(4, '0')}`, ip, kind: 'benign', category: 'benign-browsing',
      userAgent, description: 'Visitor browsing the site with a browser',
    });
    clients.push({ actor, head: combinedHead(ip), userAgent, visited: false });
  }

  const bots = BOTS.flatMap((bot) => Array.from({ length: bot.addresses }, (_, i) => {
    const ip = cast.ips.under(bot.prefix);
    const actor = book.add({
      id: `web-${bot.name}-${i + 1}`, ip, kind: 'benign', category: 'benign-bot', userAgent: bot.userAgent,
      description: `Search engine crawler (${bot.name})`,
    });
    return { bot, actor, head: combinedHead(ip) };
  }));

  // One actor per address: colleagues behind the office NAT share one.
  const adminIps = new Map<string, string[]>();
  for (const person of cast.people.filter((p) => p.admin)) {
    for (const ip of person.ips.filter((a) => !a.startsWith('10.'))) adminIps.set(ip, [...(adminIps.get(ip) ?? []), person.name]);
  }
  const admins = [...adminIps].flatMap(([ip, names]) => {
    const actor = book.add({
      id: `web-admin-${ip}`, ip, kind: 'benign', category: 'benign-admin', users: names,
      description: `Back-office use by ${names.join(', ')}`,
    });
    return names.map((user) => ({ user, actor, ip, userAgent: uaTable.draw(rng) }));
  });

  let remaining = 0;
  let count = 0;
  const emit = (ts: number, actor: number, head: string, tail: string): boolean => {
    if (remaining <= 0 || !timeline.emit(ts, file, actor, head, tail)) return false;
    remaining--;
    count++;
    return true;
  };

  // Benign errors stay rare per address however busy the site: at most one every ten minutes, so
  // no visitor or crawler ever resembles a scanner's burst of 404s.
  const lastError = new Map<number, number>();
  const mayErr = (actor: number, t: number): boolean => {
    if (t - (lastError.get(actor) ?? Number.NEGATIVE_INFINITY) < 10 * MINUTE) return false;
    lastError.set(actor, t);
    return true;
  };

  function visitor(t: number): void {
    // Skewing the draw makes a few clients regulars and most of them occasional visitors, without
    // any one of them reaching request rates a flood rule would flag.
    const client = clients[Math.floor(rng.next() ** 1.5 * clients.length)] as Client;
    const { head, userAgent } = client;
    const pages = Math.min(12, 1 + Math.floor(rng.exp(2.5)));
    let referrer = rng.chance(0.4) ? '-' : rng.pick(EXTERNAL_REFERRERS);
    let stale = rng.chance(0.012);
    let page: Page = rng.chance(0.5) ? (PAGES[0] as Page) : pageTable.draw(rng);
    for (let i = 0; i < pages; i++) {
      let url = page.path;
      let status = 200;
      let bytes = size(rng, page.bytes);
      const roll = rng.next();
      if (i > 0 && roll < 0.05) {
        url = `/search?q=${rng.pick(SEARCH_TERMS)}`;
        bytes = size(rng, 13_000);
      } else if (i > 0 && stale && roll < 0.3 && mayErr(client.actor, t)) {
        url = rng.pick(STALE_PATHS);
        status = 404;
        bytes = NOT_FOUND_BYTES;
        stale = false;
      }
      if (!emit(t, client.actor, head, combinedTail('GET', url, status, bytes, referrer, userAgent))) return;
      const pageUrl = `${origin}${url}`;
      if (i === 0) {
        let at = t;
        for (const asset of ASSETS) {
          at += rng.range(20, 400);
          const fresh = !client.visited;
          if (!fresh && rng.chance(0.6)) continue;
          const line = combinedTail('GET', asset.path, fresh ? 200 : 304, fresh ? asset.bytes : 0, pageUrl, userAgent);
          if (!emit(at, client.actor, head, line)) return;
        }
        client.visited = true;
      }
      if (url === '/contact' && rng.chance(0.15)) {
        t += rng.range(20, 120) * SECOND;
        if (!emit(t, client.actor, head, combinedTail('POST', '/contact', 302, 0, pageUrl, userAgent))) return;
        if (!emit(t + rng.range(80, 300), client.actor, head,
          combinedTail('GET', '/contact/thanks', 200, size(rng, 4_200), pageUrl, userAgent))) return;
      }
      referrer = pageUrl;
      page = pageTable.draw(rng);
      t += Math.min(10 * MINUTE, rng.lognormal(25 * SECOND, 0.9));
    }
  }

  function crawler(t: number): void {
    const { bot, actor, head } = pickBot();
    if (rng.chance(0.3) && !emit(t, actor, head, combinedTail('GET', '/robots.txt', 200, 312, '-', bot.userAgent))) return;
    if (rng.chance(0.1)) {
      // Only after robots.txt: a first request pushed past the period's end would emit nothing.
      if (count > 0) t += rng.range(1, 5) * SECOND;
      if (!emit(t, actor, head, combinedTail('GET', '/sitemap.xml', 200, 4_871, '-', bot.userAgent))) return;
    }
    let stale = rng.chance(0.03);
    const pages = rng.range(1, 8);
    for (let i = 0; i < pages; i++) {
      if (count > 0) t += rng.lognormal(6 * SECOND, 0.8);
      let line: string;
      if (stale && rng.chance(0.3) && mayErr(actor, t)) {
        line = combinedTail('GET', rng.pick(STALE_PATHS), 404, NOT_FOUND_BYTES, '-', bot.userAgent);
        stale = false;
      } else {
        const page = pageTable.draw(rng);
        line = combinedTail('GET', page.path, 200, size(rng, page.bytes), '-', bot.userAgent);
      }
      if (!emit(t, actor, head, line)) return;
    }
  }

  function pickBot(): (typeof bots)[number] {
    const bot = botTable.draw(rng);
    const own = bots.filter((b) => b.bot === bot);
    return rng.pick(own);
  }

  function backOffice(t: number): void {
    const admin = rng.pick(admins);
    const named = combinedHead(admin.ip, admin.user);
    if (rng.chance(0.2) && mayErr(admin.actor, t)) {
      // The browser's first request carries no credentials: one 401, then the login prompt.
      if (!emit(t, admin.actor, combinedHead(admin.ip), combinedTail('GET', '/admin/', 401, 381, '-', admin.userAgent))) return;
      t += rng.range(3, 15) * SECOND;
    }
    let referrer = '-';
    const pages = rng.range(2, 10);
    for (let i = 0; i < pages; i++) {
      const page = i === 0 ? (ADMIN_PAGES[0] as Page) : adminTable.draw(rng);
      if (!emit(t, admin.actor, named, combinedTail('GET', page.path, 200, size(rng, page.bytes), referrer, admin.userAgent))) return;
      referrer = `${origin}${page.path}`;
      if (i === 0) {
        const css = ASSETS[0];
        if (css && !emit(t + rng.range(30, 200), admin.actor, named, combinedTail('GET', css.path, 304, 0, referrer, admin.userAgent))) return;
      }
      t += rng.lognormal(40 * SECOND, 0.8);
    }
  }

  // A few admins work a few sessions a day, however busy the site: their share shrinks as it grows.
  const days = (timeline.end - timeline.start) / DAY;
  const backOfficeSessions = adminIps.size * 4 * days;
  const backOfficeShare = admins.length === 0 ? 0 : Math.min(0.02, backOfficeSessions / (ctx.target / 10));

  return {
    file,
    rng,
    curve: new RateCurve(timeline.start, timeline.end, browsingHours),
    meanLines: 10,
    episode(t, budget) {
      remaining = budget;
      count = 0;
      const roll = rng.next();
      if (roll < 0.12) crawler(t);
      else if (roll < 0.12 + backOfficeShare) backOffice(t);
      else visitor(t);
      return count;
    },
  };
}
