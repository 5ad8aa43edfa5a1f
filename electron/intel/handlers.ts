/**
 * Handlers of the intel channels (shared/intel/contract.ts), ready to be spread into the engine's
 * and the main process's handler tables when the window's intel views land. Plain Node: the case
 * comes from a getter, keys from a key provider, the key store is given by the main process.
 */
import { statSync } from 'node:fs';
import type { IntelChannel, IntelRequest, IntelResponse, IntelSettingsDto } from '../../shared/intel/contract.ts';
import { PROVIDER_IDS, type ProviderId } from '../../shared/intel/model.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { prepareOrThrow } from '../engine/query-sql.ts';
import { refreshCaseIps } from './case-ips.ts';
import { GeoDbError, openGeoDbs, type GeoReader } from './geo.ts';
import { ipIntel, ipSummaries } from './ip-intel.ts';
import type { KeyStore } from './key-file.ts';
import type { KeyProvider } from './keys.ts';
import { importList, listLists, removeList } from './lists.ts';
import { PROVIDERS } from './providers/index.ts';
import { PUBLIC_IPS_CAP, publicIpsOf } from './public-ips.ts';
import { ReputationClient, type ReputationClientOptions } from './reputation-client.ts';
import { lookupReputation, type BulkProgress } from './reputation.ts';
import { readIntelSettings, writeIntelSettings } from './settings.ts';

export interface IntelDeps {
  /** The open case; throws (with a message for the analyst) when there is none. */
  getCase: () => CaseDb;
  /** Loupe's configuration folder (the app's userData). */
  configDir: string;
  /** Keys for lookups; in the app, the key store's. */
  keys: KeyProvider;
  /** Where keys are saved (the main process's safeStorage store); absent, keys cannot be set. */
  keyStore?: KeyStore;
  /** Which providers have a saved key, when the store is elsewhere (the app's main process). */
  savedKeys?: () => ProviderId[] | Promise<ProviderId[]>;
  onProgress?: (p: BulkProgress) => void;
  /** Progress of intel:list-public-ips when it reads every event, with the request's serial. */
  onScanProgress?: (p: { serial: number; scanned: number; total: number }) => void;
  /** Events a scan reads per step, for tests (public-ips.ts). */
  scanStep?: number;
  /** Client options for tests (base URLs, pacing). */
  client?: Partial<Omit<ReputationClientOptions, 'enabled' | 'keys'>>;
}

export type IntelHandlers = { readonly [C in IntelChannel]: (request: IntelRequest<C>) => IntelResponse<C> | Promise<IntelResponse<C>> };

/** An error whose message is meant for the analyst. */
export class IntelError extends Error {}

export function createIntelHandlers(deps: IntelDeps): IntelHandlers {
  return createIntelEngine(deps).handlers;
}

/**
 * The handlers, and `refresh`: the case's intel tables brought up to date with its events and the
 * settings' GeoIP databases (for the grid's intel filters, which read them).
 */
export function createIntelEngine(deps: IntelDeps): { handlers: IntelHandlers; refresh: () => Promise<void> } {
  let geo: { key: string; reader: Promise<GeoReader | null> } | undefined;
  let running: AbortController | null = null;
  let counting: AbortController | null = null;
  const infos = new Map<string, Promise<{ databaseType: string | null; builtAt: number | null; problem: string | null }>>();

  /**
   * The settings' GeoIP databases, opened once per set of files; a file that cannot be read is left
   * out (the settings say why) and the others still answer.
   */
  const geoReader = (paths: readonly string[]): Promise<GeoReader | null> => {
    const key = paths.join('\u0000');
    if (geo?.key !== key) {
      geo = {
        key,
        reader: (async () => {
          const problems = await Promise.all(paths.map(async (p) => (await mmdbInfo(p)).problem));
          const usable = paths.filter((_, i) => problems[i] === null);
          return usable.length === 0 ? null : openGeoDbs(usable).catch(() => null);
        })(),
      };
    }
    return geo.reader;
  };

  const mmdbInfo = (path: string) => {
    let mtime = 0;
    try {
      mtime = statSync(path).mtimeMs;
    } catch {
      // reported by openGeoDbs below
    }
    const key = `${path}\u0000${mtime}`;
    let info = infos.get(key);
    if (!info) {
      info = openGeoDbs([path]).then(
        (r) => ({ databaseType: r.databases[0]?.databaseType ?? null, builtAt: r.databases[0]?.builtAt ?? null, problem: null }),
        (err: unknown) => ({ databaseType: null, builtAt: null, problem: err instanceof GeoDbError ? err.message : String(err) }),
      );
      infos.set(key, info);
    }
    return info;
  };

  const settingsDto = async (): Promise<IntelSettingsDto> => {
    const { settings, problem } = readIntelSettings(deps.configDir);
    const saved = new Set(deps.keyStore?.saved() ?? (await deps.savedKeys?.()) ?? []);
    return {
      mmdb: await Promise.all(settings.mmdb.map(async (path) => ({ path, ...(await mmdbInfo(path)) }))),
      providers: PROVIDER_IDS.map((id) => {
        const spec = PROVIDERS[id];
        return {
          id, title: spec.title, enabled: settings.providers.includes(id), sends: spec.sends, docs: spec.docs,
          key: spec.key ? { required: spec.key.required, saved: saved.has(id) } : null,
        };
      }),
      problem,
    };
  };

  const current = async (): Promise<{ c: CaseDb; geo: GeoReader | null }> => {
    const c = deps.getCase();
    const reader = await geoReader(readIntelSettings(deps.configDir).settings.mmdb);
    refreshCaseIps(c, { geo: reader });
    return { c, geo: reader };
  };

  const handlers: IntelHandlers = {
    'intel:get-ip': async ({ ip }) => {
      const { c, geo: reader } = await current();
      return ipIntel(c.db, ip, reader);
    },
    'intel:get-summaries': async ({ ips }) => ipSummaries((await current()).c.db, ips),
    'intel:list-lists': async () => listLists((await current()).c.db),
    'intel:import-list': async ({ path, name, date, column }) => {
      const c = deps.getCase();
      const r = importList(c, path, {
        ...(name !== undefined ? { name } : {}), ...(date !== undefined ? { date } : {}), ...(column !== undefined ? { column } : {}),
      });
      const { c: after } = await current();
      return { ...r, list: listLists(after.db).find((l) => l.id === r.list.id) ?? r.list };
    },
    'intel:remove-list': async ({ name }) => {
      const removed = removeList(deps.getCase(), name);
      await current();
      return { removed };
    },
    'intel:list-public-ips': async ({ filter, limit, serial = 0 }) => {
      const prepared = prepareOrThrow(filter, (m) => new IntelError(m));
      // Set up before current(): the first call after GeoIP databases are chosen (or after start)
      // waits for their files to open, and a cancel or newer request arriving then stops this one
      // before it reads anything. Otherwise current() has nothing to wait for (the reader is open,
      // refreshing the address table is synchronous), so no call can arrive in between.
      counting?.abort();
      const abort = new AbortController();
      counting = abort;
      try {
        const { c } = await current();
        if (abort.signal.aborted) return { ips: [], total: 0, cap: limit ?? PUBLIC_IPS_CAP, cancelled: true };
        const onProgress = deps.onScanProgress;
        return await publicIpsOf(c.db, prepared, limit, {
          signal: abort.signal, ...(onProgress ? { onProgress: (p: { scanned: number; total: number }) => onProgress({ serial, ...p }) } : {}),
          ...(deps.scanStep !== undefined ? { step: deps.scanStep } : {}),
        });
      } finally {
        if (counting === abort) counting = null;
      }
    },
    'intel:cancel-public-ips': () => {
      const r = counting;
      r?.abort();
      return { cancelled: r !== null };
    },
    'intel:lookup': async ({ ips, providers, refresh }) => {
      if (running) throw new IntelError('a lookup is running; cancel it or wait for it');
      const { c } = await current();
      const enabled = readIntelSettings(deps.configDir).settings.providers;
      const client = new ReputationClient({ ...deps.client, enabled, keys: deps.keys });
      const abort = new AbortController();
      running = abort;
      try {
        return await lookupReputation(c, client, ips, providers as ProviderId[], {
          ...(refresh ? { refresh: true } : {}), signal: abort.signal, ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        });
      } finally {
        running = null;
        await client.close();
      }
    },
    'intel:cancel-lookup': () => {
      const r = running;
      r?.abort();
      return { cancelled: r !== null };
    },
    'intel:get-settings': () => settingsDto(),
    'intel:set-settings': async ({ mmdb, providers }) => {
      writeIntelSettings(deps.configDir, { mmdb: [...new Set(mmdb)], providers: [...new Set(providers)] });
      try {
        // The case's addresses located with the databases just chosen, for the grid's filters.
        await current();
      } catch {
        // No case open (or an import has it): located on the next intel call.
      }
      return settingsDto();
    },
    'intel:set-key': async ({ provider, key }) => {
      if (!deps.keyStore) throw new IntelError('API keys cannot be saved here; the command line reads them from LOUPE_*_KEY variables');
      if (!PROVIDERS[provider].key) throw new IntelError(`${PROVIDERS[provider].title} takes no API key`);
      await deps.keyStore.set(provider, key);
      return settingsDto();
    },
    'intel:delete-key': async ({ provider }) => {
      deps.keyStore?.delete(provider);
      return settingsDto();
    },
  };
  return {
    handlers,
    refresh: async () => {
      await current();
    },
  };
}
