/**
 * The case's addresses: every distinct value of `src_ip` and `dst_ip`, classified, located (when
 * .mmdb files are given) and matched against the imported lists, kept in `intel_ips` and
 * `intel_list_hits`. A refresh reads only the events added since the last one (by rowid), matches
 * only new addresses unless the lists changed, and looks up geo only for rows the current
 * databases have not answered; everything happens in one transaction.
 */
import type { Database } from 'better-sqlite3';
import { CidrSet } from '../../shared/intel/cidr-set.ts';
import { classifyParsed } from '../../shared/intel/classify.ts';
import { ipText, networkText, parseIp, type Network } from '../../shared/intel/ip.ts';
import type { CaseDb } from '../engine/case-db.ts';
import type { GeoReader } from './geo.ts';
import { loadLists } from './lists.ts';

export interface RefreshOptions {
  /** The analyst's GeoIP databases; without them, geo already cached stays as it is. */
  geo?: GeoReader | null;
}

export interface RefreshStats {
  /** Addresses first seen by this refresh. */
  added: number;
  /** Addresses in the case. */
  total: number;
  /** Addresses whose list hits were worked out. */
  matched: number;
  /** Addresses located with the GeoIP databases. */
  located: number;
  /** The case's derived data was rebuilt from scratch (a source was replaced). */
  rebuilt: boolean;
  seconds: number;
}

interface State {
  through_id: number;
  lists_version: number;
  hits_version: number;
}

/** The text of every distinct address in events with id in (from, to]. */
function distinctAddresses(db: Database, from: number, to: number): string[] {
  // The whole case: the columns' (src_ip, ts) and (dst_ip, ts) indexes give their values without
  // reading rows (measured on 1M rows: 30 ms, against 1.1 s through the rowids). A later refresh
  // reads only the rows added since, by rowid.
  const sql = (column: string): string => (from === 0
    ? `SELECT DISTINCT ${column} FROM events WHERE ${column} IS NOT NULL`
    : `SELECT DISTINCT ${column} FROM events WHERE id > ? AND id <= ? AND ${column} IS NOT NULL`);
  return ['src_ip', 'dst_ip'].flatMap((column) =>
    (db.prepare(sql(column)).pluck().all(...(from === 0 ? [] : [from, to])) as unknown[])
      .filter((ip): ip is string => typeof ip === 'string'));
}

/** Matches addresses against every list; the lists are read only when there is something to match. */
class ListMatcher {
  private loaded: { id: number; set: CidrSet; networks: Network[] }[] | undefined;
  private readonly db: Database;
  private readonly insert;

  constructor(db: Database) {
    this.db = db;
    this.insert = db.prepare('INSERT OR REPLACE INTO intel_list_hits (list_id, ip, network) VALUES (?, ?, ?)');
  }

  private get lists(): { id: number; set: CidrSet; networks: Network[] }[] {
    this.loaded ??= loadLists(this.db).map((l) => ({ id: l.id, set: new CidrSet(l.networks), networks: l.networks }));
    return this.loaded;
  }

  get empty(): boolean {
    if (this.loaded) return this.loaded.length === 0;
    return this.db.prepare('SELECT 1 FROM intel_lists LIMIT 1').get() === undefined;
  }

  match(raw: string): void {
    const ip = parseIp(raw);
    if (!ip) return;
    for (const l of this.lists) {
      const at = l.set.lookup(ip);
      if (at >= 0) this.insert.run(l.id, raw, networkText(l.networks[at] as Network));
    }
  }
}

export function refreshCaseIps(c: CaseDb, opts: RefreshOptions = {}): RefreshStats {
  const { db } = c;
  const started = performance.now();
  return db.transaction((): RefreshStats => {
    const state = db.prepare('SELECT through_id, lists_version, hits_version FROM intel_state WHERE id = 1').get() as State;
    const maxId = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number;
    let through = state.through_id;
    let rebuilt = false;
    if (through === 0 || through > maxId) {
      rebuilt = (db.prepare('SELECT count(*) FROM intel_ips').pluck().get() as number) > 0;
      db.prepare('DELETE FROM intel_ips').run();
      db.prepare('DELETE FROM intel_list_hits').run();
      through = 0;
    }
    const relistAll = rebuilt || state.hits_version !== state.lists_version;
    const matcher = new ListMatcher(db);
    const insert = db.prepare('INSERT OR IGNORE INTO intel_ips (ip, canonical, family, category) VALUES (?, ?, ?, ?)');
    let added = 0;
    let matched = 0;
    if (through < maxId) {
      for (const raw of distinctAddresses(db, through, maxId)) {
        const ip = parseIp(raw);
        const cls = ip && classifyParsed(ip);
        if (insert.run(raw, ip ? ipText(ip) : null, ip?.family ?? null, cls ? cls.category : 'invalid').changes === 0) continue;
        added++;
        if (!relistAll && !matcher.empty) {
          matcher.match(raw);
          matched++;
        }
      }
    }
    if (relistAll) {
      db.prepare('DELETE FROM intel_list_hits').run();
      if (!matcher.empty) {
        for (const raw of db.prepare("SELECT ip FROM intel_ips WHERE category <> 'invalid'").pluck().all() as string[]) {
          matcher.match(raw);
          matched++;
        }
      }
    }
    let located = 0;
    if (opts.geo) {
      const geo = opts.geo;
      const update = db.prepare('UPDATE intel_ips SET country = ?, country_name = ?, city = ?, asn = ?, as_org = ?, geo_source = ? WHERE ip = ?');
      const stale = db.prepare("SELECT ip FROM intel_ips WHERE category <> 'invalid' AND geo_source IS NOT ?").pluck().all(geo.source) as string[];
      for (const raw of stale) {
        const g = geo.lookup(raw);
        update.run(g?.country ?? null, g?.countryName ?? null, g?.city ?? null, g?.asn ?? null, g?.asOrg ?? null, geo.source, raw);
        located++;
      }
    }
    db.prepare('UPDATE intel_state SET through_id = ?, hits_version = lists_version WHERE id = 1').run(maxId);
    const total = db.prepare('SELECT count(*) FROM intel_ips').pluck().get() as number;
    return { added, total, matched, located, rebuilt, seconds: (performance.now() - started) / 1000 };
  }).immediate();
}
