/**
 * What the case knows about one address, for the dossier's enrichment slot and `loupe ip`:
 * classification, the lists it is on (as known at each list's date), country and network owner,
 * and the latest answer of each provider. Reads only what is stored; `refreshCaseIps` keeps it current.
 */
import type { Database } from 'better-sqlite3';
import { CidrSet } from '../../shared/intel/cidr-set.ts';
import { classifyParsed } from '../../shared/intel/classify.ts';
import { ipText, networkText, parseIp, type Network } from '../../shared/intel/ip.ts';
import type { Geo, IpIntel, IpSummary, ListDateSource, ListHitDto } from '../../shared/intel/model.ts';
import type { GeoReader } from './geo.ts';
import { loadLists } from './lists.ts';
import { cachedReputation } from './reputation.ts';

export class NotAnAddressError extends Error {}

interface HitRow {
  list: string; listId: number; network: string; describedAt: number; describedAtFrom: ListDateSource; sha256: string;
}

/** The ways the address is written in the case's events (`192.0.2.1`, `::ffff:192.0.2.1`). */
export function spellings(db: Database, canonical: string): string[] {
  const known = db.prepare('SELECT ip FROM intel_ips WHERE canonical = ?').pluck().all(canonical) as string[];
  return [...new Set([canonical, ...known])];
}

function listHits(db: Database, canonical: string, written: readonly string[]): ListHitDto[] {
  const inCase = written.some((w) => db.prepare('SELECT 1 FROM intel_ips WHERE ip = ?').get(w) !== undefined);
  let rows: HitRow[];
  if (inCase) {
    rows = db.prepare(`SELECT DISTINCT l.name AS list, l.id AS listId, h.network, l.described_at AS describedAt,
        l.described_at_from AS describedAtFrom, l.sha256 FROM intel_list_hits h JOIN intel_lists l ON l.id = h.list_id
        WHERE h.ip IN (${written.map(() => '?').join(', ')}) ORDER BY l.name`).all(...written) as HitRow[];
  } else {
    // An address the events do not hold (typed by the analyst): matched against the lists now.
    const ip = parseIp(canonical);
    const meta = db.prepare('SELECT name, described_at AS describedAt, described_at_from AS describedAtFrom, sha256 FROM intel_lists WHERE id = ?');
    rows = !ip ? [] : loadLists(db).flatMap((l) => {
      const at = new CidrSet(l.networks).lookup(ip);
      if (at < 0) return [];
      const m = meta.get(l.id) as { name: string; describedAt: number; describedAtFrom: ListDateSource; sha256: string };
      return [{ list: m.name, listId: l.id, network: networkText(l.networks[at] as Network), describedAt: m.describedAt, describedAtFrom: m.describedAtFrom, sha256: m.sha256 }];
    }).sort((a, b) => a.list.localeCompare(b.list));
  }
  const note = db.prepare('SELECT note FROM intel_list_entries WHERE list_id = ? AND network = ? ORDER BY line LIMIT 1').pluck();
  return rows.map((r) => ({
    list: r.list, listId: r.listId, entry: r.network, note: (note.get(r.listId, r.network) as string | null | undefined) ?? null,
    describedAt: r.describedAt, describedAtFrom: r.describedAtFrom, sha256: r.sha256,
  }));
}

function storedGeo(db: Database, written: readonly string[]): Geo | null {
  const row = db.prepare(`SELECT country, country_name AS countryName, city, asn, as_org AS asOrg, geo_source AS source FROM intel_ips
      WHERE ip IN (${written.map(() => '?').join(', ')}) AND geo_source IS NOT NULL
      ORDER BY (country IS NULL AND asn IS NULL) LIMIT 1`).get(...written) as (Geo & { source: string }) | undefined;
  if (!row || (row.country === null && row.asn === null)) return null;
  return row;
}

/**
 * The address's intel. `geo`: the analyst's databases, asked directly when the case has no answer
 * cached (an address typed by hand). Throws NotAnAddressError for text that is not an IP address.
 */
export function ipIntel(db: Database, text: string, geo?: GeoReader | null): IpIntel {
  const ip = parseIp(text.trim());
  if (!ip) throw new NotAnAddressError(`"${text.slice(0, 100)}" is not an IP address`);
  const canonical = ipText(ip);
  const written = spellings(db, canonical);
  if (!written.includes(text)) written.push(text);
  return {
    ip: canonical,
    classification: classifyParsed(ip),
    lists: listHits(db, canonical, written),
    geo: storedGeo(db, written) ?? geo?.lookup(canonical) ?? null,
    reputation: cachedReputation(db, canonical),
  };
}

/**
 * What the grid shows of each address: its row of intel_ips and the names of its lists, by
 * primary key (a page holds a few hundred addresses at most). Addresses the case does not hold
 * are left out.
 */
export function ipSummaries(db: Database, ips: readonly string[]): IpSummary[] {
  const out: IpSummary[] = [];
  const unique = [...new Set(ips)];
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    const marks = chunk.map(() => '?').join(', ');
    const lists = new Map<string, string[]>();
    for (const h of db.prepare(`SELECT h.ip, l.name FROM intel_list_hits h JOIN intel_lists l ON l.id = h.list_id
        WHERE h.ip IN (${marks}) ORDER BY l.name`).all(...chunk) as { ip: string; name: string }[]) {
      const names = lists.get(h.ip) ?? [];
      names.push(h.name);
      lists.set(h.ip, names);
    }
    const rows = db.prepare(`SELECT ip, category, country, asn, as_org AS asOrg FROM intel_ips WHERE ip IN (${marks})`)
      .all(...chunk) as Omit<IpSummary, 'lists'>[];
    for (const r of rows) out.push({ ...r, lists: lists.get(r.ip) ?? [] });
  }
  return out;
}
