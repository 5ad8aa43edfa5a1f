/** `loupe ip` (what the case knows about addresses, online lookups on request) and `loupe lists`. */
import type { Database } from 'better-sqlite3';
import { PROVIDER_IDS, type BulkLookup, type IpIntel, type ListInfo, type ProviderId } from '../../shared/intel/model.ts';
import { isoUtc } from '../../shared/time.ts';
import { openCase } from '../engine/case-db.ts';
import { entityDossier, type Dossier } from '../engine/dossier.ts';
import { refreshCaseIps } from '../intel/case-ips.ts';
import { openGeoDbs, type GeoReader } from '../intel/geo.ts';
import { ipIntel, spellings } from '../intel/ip-intel.ts';
import { envKeys } from '../intel/keys.ts';
import { importList, listLists, removeList } from '../intel/lists.ts';
import { ReputationClient } from '../intel/reputation-client.ts';
import { lookupReputation, type BulkProgress } from '../intel/reputation.ts';
import { configDir, readIntelSettings } from '../intel/settings.ts';
import { parse, parseTime, UsageError } from './args.ts';
import { safe } from './commands.ts';
import type { Io } from './main.ts';

/**
 * The engine's dossier of each way the address is written in the events (`192.0.2.1`, and
 * `::ffff:192.0.2.1` from a dual-stack server): the one the address is written with first.
 */
function dossiers(db: Database, canonical: string): Dossier[] {
  const out = spellings(db, canonical).map((value) => entityDossier(db, { type: 'ip', value }));
  const seen = out.filter((d) => d.total > 0);
  return seen.length > 0 ? seen : out.slice(0, 1);
}

function providerArg(text: string): ProviderId[] {
  if (text === 'all') return [...PROVIDER_IDS];
  if (!(PROVIDER_IDS as readonly string[]).includes(text)) throw new UsageError(`--lookup: "${text}" is not one of ${PROVIDER_IDS.join(', ')} (or all)`);
  return [text as ProviderId];
}

/** Provider base URLs from LOUPE_<PROVIDER>_URL (a mirror, a proxy, or a test server). */
function baseUrls(env: NodeJS.ProcessEnv): Partial<Record<ProviderId, string>> {
  const out: Partial<Record<ProviderId, string>> = {};
  for (const id of PROVIDER_IDS) {
    const url = env[`LOUPE_${id.toUpperCase().replace(/-/g, '_')}_URL`];
    if (url) out[id] = url;
  }
  return out;
}

async function geoReader(paths: readonly string[] | undefined, io: Io): Promise<GeoReader | null> {
  let files = paths;
  if (files === undefined) {
    const { settings, problem } = readIntelSettings(configDir());
    if (problem) io.err(`loupe: ${problem}`);
    files = settings.mmdb;
  }
  return files.length === 0 ? null : openGeoDbs(files);
}

const when = (ms: number | null): string => (ms === null ? '(no time)' : isoUtc(ms));

function describeIntel(intel: IpIntel & { dossiers: Dossier[] }): string {
  const c = intel.classification;
  const where = c.category === 'public' ? c.name : [c.name, c.network, c.rfc].filter(Boolean).join(', ');
  const lines = [`${intel.ip} — ${c.category} (${where})${c.mapped ? ', written as an IPv4-mapped IPv6 address' : ''}`];
  if (intel.lists.length === 0) lines.push('  lists      on no imported list');
  for (const h of intel.lists) {
    lines.push(`  lists      on ${h.list} as known at ${isoUtc(h.describedAt)} (date from ${h.describedAtFrom === 'header' ? "the list's header"
      : h.describedAtFrom === 'analyst' ? 'the analyst' : "the file's modification time"}): entry ${h.entry}${h.note ? ` — ${h.note}` : ''}`);
  }
  const g = intel.geo;
  if (g) {
    const place = [g.country && `${g.country}${g.countryName ? ` ${g.countryName}` : ''}`, g.city].filter(Boolean).join(', ');
    const owner = g.asn !== null ? `AS${g.asn}${g.asOrg ? ` ${g.asOrg}` : ''}` : '';
    lines.push(`  geo        ${[place, owner].filter(Boolean).join('; ')} (${g.source})`);
  }
  for (const r of intel.reputation) {
    lines.push(`  ${r.provider.padEnd(10)} ${r.verdict} — ${r.summary} (fetched ${isoUtc(r.fetchedAt)})`);
  }
  const top = (values: readonly { value: string; count: number }[]): string => values.map((v) => `${v.value} ${v.count}`).join(', ');
  for (const d of intel.dossiers) {
    const written = d.value === intel.ip ? '' : ` written ${d.value}`;
    if (d.total === 0) {
      lines.push(`  events     none${written}`);
      continue;
    }
    lines.push(`  events     ${d.total}${written} (${when(d.firstSeen)} → ${when(d.lastSeen)}) in ${d.perSource.map((s) => `${s.name} ${s.count}`).join(', ')}`);
    if (d.byDataset.length > 0) lines.push(`  datasets   ${top(d.byDataset)}`);
    if (d.users.length > 0) lines.push(`  users      ${top(d.users)}`);
    if (d.urls.length > 0) lines.push(`  urls       ${top(d.urls)}`);
    if (d.ips.length > 0) lines.push(`  peers      ${top(d.ips)}`);
    for (const a of d.alerts) lines.push(`  alert      #${a.id} ${a.rule.level} ${a.rule.title} (${a.count} event(s))${a.status === 'open' ? '' : ` [${a.status}]`}`);
  }
  return lines.map(safe).join('\n');
}

/** One status line on a terminal's stderr while lookups run; silent otherwise. */
function lookupProgress(stream: NodeJS.WriteStream = process.stderr): { update: (p: BulkProgress) => void; clear(): void } {
  let shown = false;
  return {
    update(p) {
      if (stream.isTTY !== true) return;
      stream.write(`\r\x1b[Klooking up ${p.done}/${p.total} (${p.sent} request(s) sent)`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

export async function ipCommand(argv: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parse(argv, {
    lookup: { type: 'string', multiple: true }, refresh: { type: 'boolean' }, mmdb: { type: 'string', multiple: true },
    json: { type: 'boolean' },
  });
  const [casePath, ...ips] = positionals;
  if (casePath === undefined || ips.length === 0) throw new UsageError('ip needs a case file and at least one IP address');
  const providers = [...new Set((values.lookup ?? []).flatMap(providerArg))];
  if (values.refresh && providers.length === 0) throw new UsageError('--refresh needs --lookup PROVIDER');
  const geo = await geoReader(values.mmdb, io);
  const c = openCase(casePath);
  let lookup: BulkLookup | null = null;
  try {
    refreshCaseIps(c, { geo });
    // Checked before anything is sent: a typo must not cost a lookup of the other addresses.
    const known = ips.map((ip) => ipIntel(c.db, ip, geo).ip);
    if (providers.length > 0) {
      // Opt-in per command: only the providers named here, with keys from the environment.
      const client = new ReputationClient({ enabled: providers, keys: envKeys(env), baseUrls: baseUrls(env) });
      const abort = new AbortController();
      const onSigint = (): void => abort.abort();
      process.on('SIGINT', onSigint);
      const progress = lookupProgress();
      try {
        lookup = await lookupReputation(c, client, known, providers, {
          ...(values.refresh ? { refresh: true } : {}), signal: abort.signal, onProgress: progress.update,
        });
      } finally {
        progress.clear();
        process.off('SIGINT', onSigint);
        await client.close();
      }
    }
    const reports = ips.map((ip) => {
      const intel = ipIntel(c.db, ip, geo);
      return { ...intel, dossiers: dossiers(c.db, intel.ip) };
    });
    if (values.json) io.out(JSON.stringify({ ips: reports, lookup }, null, 2));
    else io.out(reports.map(describeIntel).join('\n\n'));
  } finally {
    c.close();
  }
  const failures = (lookup?.errors ?? []).filter((e) => e.error !== 'not-public' && e.error !== 'unsupported');
  if (!values.json) {
    for (const e of lookup?.errors ?? []) io.err(safe(`${e.provider} ${e.ip}: ${e.message}`));
  }
  if (lookup?.cancelled) return 130;
  return failures.length > 0 ? 1 : 0;
}

function describeList(l: ListInfo): string {
  return safe(`${l.name}  ${l.entries} entr${l.entries === 1 ? 'y' : 'ies'}, ${l.hits} address(es) of the case on it, as known at ${isoUtc(l.describedAt)} `
    + `(date from ${l.describedAtFrom})\n  ${l.format} ${l.path}\n  sha256 ${l.sha256}, imported ${isoUtc(l.importedAt)}`);
}

export async function listsCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    add: { type: 'string' }, name: { type: 'string' }, date: { type: 'string' }, column: { type: 'string' },
    remove: { type: 'string' }, json: { type: 'boolean' },
  });
  const [casePath] = positionals;
  if (casePath === undefined || positionals.length > 1) throw new UsageError('lists needs exactly one case file');
  if (values.add !== undefined && values.remove !== undefined) throw new UsageError('give --add or --remove, not both');
  if (values.add === undefined && (values.name ?? values.date ?? values.column) !== undefined) {
    throw new UsageError('--name, --date and --column go with --add FILE');
  }
  const date = parseTime('--date', values.date);
  const c = openCase(casePath);
  try {
    if (values.add !== undefined) {
      const r = importList(c, values.add, {
        ...(values.name !== undefined ? { name: values.name } : {}), ...(date !== undefined ? { date } : {}),
        ...(values.column !== undefined ? { column: values.column } : {}),
      });
      refreshCaseIps(c);
      const list = listLists(c.db).find((l) => l.id === r.list.id) ?? r.list;
      if (values.json) io.out(JSON.stringify({ ...r, list }, null, 2));
      else {
        io.out(`${r.replaced ? 'replaced' : 'imported'} ${describeList(list)}`);
        for (const w of r.warnings) io.err(safe(`${list.name}: ${w}`));
        for (const s of r.rejectedSamples) io.err(safe(`  line ${s.line}: ${s.text}`));
        io.out(`run \`loupe detect ${safe(casePath)}\` to raise alerts for the case's addresses on it`);
      }
      return 0;
    }
    if (values.remove !== undefined) {
      if (!removeList(c, values.remove)) {
        io.err(safe(`loupe: no list named "${values.remove}" in ${casePath}`));
        return 1;
      }
      refreshCaseIps(c);
      if (values.json) io.out(JSON.stringify({ removed: values.remove }));
      else io.out(safe(`removed ${values.remove}`));
      return 0;
    }
    const lists = listLists(c.db);
    if (values.json) io.out(JSON.stringify(lists, null, 2));
    else if (lists.length === 0) io.out('no lists imported (loupe lists CASE --add FILE imports one)');
    else io.out(lists.map(describeList).join('\n'));
    return 0;
  } finally {
    c.close();
  }
}
