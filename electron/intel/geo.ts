/**
 * Country, city and network owner (ASN) of an address, from MaxMind DB files the analyst provides:
 * MaxMind GeoLite2 (City, Country, ASN) or DB-IP Lite (City, Country, ASN), read with `maxmind`.
 * Records are checked against the fields Loupe reads; anything else in them is ignored.
 */
import { statSync } from 'node:fs';
import maxmind, { type Reader, type Response } from 'maxmind';
import { z } from 'zod';
import type { Geo } from '../../shared/intel/model.ts';
import { canonicalIp } from '../../shared/intel/ip.ts';

export class GeoDbError extends Error {}

const names = z.looseObject({ en: z.string().max(256).optional() }).optional();
const place = z.looseObject({ iso_code: z.string().max(8).optional(), names }).optional();
const record = z.looseObject({
  country: place,
  registered_country: place,
  city: z.looseObject({ names }).optional(),
  autonomous_system_number: z.number().int().nonnegative().optional(),
  autonomous_system_organization: z.string().max(512).optional(),
});

export interface GeoDbInfo {
  path: string;
  databaseType: string;
  /** When the database was built (UTC epoch ms). */
  builtAt: number;
}

export interface GeoReader {
  readonly databases: readonly GeoDbInfo[];
  /** `GeoLite2-City 2026-11-20; GeoLite2-ASN 2026-11-20`: what answered, as cached with each result. */
  readonly source: string;
  /** What the databases say about the address; null when none knows it. */
  lookup(ip: string): Geo | null;
}

/** Opens the files (they are read into memory); throws GeoDbError naming a file that is not a MaxMind DB. */
export async function openGeoDbs(paths: readonly string[]): Promise<GeoReader> {
  const readers: { info: GeoDbInfo; reader: Reader<Response> }[] = [];
  for (const path of paths) {
    try {
      if (!statSync(path).isFile()) throw new Error('not a file');
    } catch (err) {
      throw new GeoDbError(`${path}: cannot read the GeoIP database (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let reader: Reader<Response>;
    try {
      reader = await maxmind.open(path, { cache: { max: 50_000 } });
    } catch (err) {
      throw new GeoDbError(`${path}: not a MaxMind DB (.mmdb) file (${(err as Error).message.slice(0, 200)})`);
    }
    const m = reader.metadata;
    readers.push({ info: { path, databaseType: String(m.databaseType), builtAt: m.buildEpoch.getTime() }, reader });
  }
  const databases = readers.map((r) => r.info);
  const source = databases.map((d) => `${d.databaseType} ${new Date(d.builtAt).toISOString().slice(0, 10)}`).join('; ');
  return {
    databases,
    source,
    lookup(ip) {
      const text = canonicalIp(ip);
      if (text === undefined) return null;
      const geo: Geo = { country: null, countryName: null, city: null, asn: null, asOrg: null, source };
      let found = false;
      for (const { reader } of readers) {
        let raw: unknown;
        try {
          raw = reader.get(text);
        } catch {
          raw = null; // an IPv6 address asked of an IPv4-only database
        }
        const r = record.safeParse(raw);
        if (raw === null || !r.success) continue;
        const country = r.data.country ?? r.data.registered_country;
        if (geo.country === null && country?.iso_code) {
          geo.country = country.iso_code;
          geo.countryName = country.names?.en ?? null;
        }
        geo.city ??= r.data.city?.names?.en ?? null;
        if (geo.asn === null && r.data.autonomous_system_number !== undefined) {
          geo.asn = r.data.autonomous_system_number;
          geo.asOrg = r.data.autonomous_system_organization ?? null;
        }
        found = true;
      }
      return found ? geo : null;
    },
  };
}
