import { existsSync } from 'node:fs';
import type { ProviderId } from '../../shared/intel/model.ts';
import { rememberedRules, runDetections } from '../detect/run.ts';
import { createIntelEngine } from '../intel/handlers.ts';
import { noKeys, type KeyProvider } from '../intel/keys.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { requireCase, type Session } from './session.ts';

/** Live listeners (their own thread, live-controller.ts) mark the case as theirs while they write into it. */
function liveClaimed(c: CaseDb): boolean {
  const owner = c.db.prepare("SELECT value FROM case_meta WHERE key = 'import_owner'").pluck().get() as string | undefined;
  try {
    return owner !== undefined && (JSON.parse(owner) as { live?: unknown }).live === true;
  } catch {
    return false;
  }
}

/**
 * The intel channels the engine answers, on the session's case, with the app's intel settings in
 * its data folder. Keys come from the main process one lookup at a time (engine-keys.ts).
 */
export function createEngineIntelHandlers(session: Session, deps: {
  dataDir: string; keys?: KeyProvider; savedKeys?: () => Promise<ProviderId[]>; providerBaseUrls?: Partial<Record<ProviderId, string>>;
}) {
  const intel = createIntelEngine({
    getCase: () => requireCase(session),
    configDir: deps.dataDir,
    keys: deps.keys ?? noKeys,
    ...(deps.savedKeys ? { savedKeys: deps.savedKeys } : {}),
    onProgress: (p) => session.push('intel:lookup-progress-changed', p),
    onScanProgress: (p) => session.push('intel:public-ips-progress-changed', p),
    ...(deps.providerBaseUrls ? { client: { baseUrls: deps.providerBaseUrls } } : {}),
  });
  const { 'intel:set-key': _set, 'intel:delete-key': _delete, ...engine } = intel.handlers;
  // A list added, replaced or removed changes what the `iplist` rules see: the case's rules run
  // again (those of its last run), as after an import. Live listeners re-read the lists themselves.
  const redetect = async (): Promise<void> => {
    const c = requireCase(session);
    if (liveClaimed(c)) return;
    const last = rememberedRules(c);
    await runDetections(c, { rulePaths: last.paths.filter((p) => existsSync(p)), builtin: last.builtin });
    session.push('alerts:list-changed', { total: c.db.prepare('SELECT count(*) FROM alerts').pluck().get() as number });
  };
  const handlers = {
    ...engine,
    'intel:import-list': async (request: Parameters<typeof engine['intel:import-list']>[0]) => {
      const r = await engine['intel:import-list'](request);
      await redetect();
      return r;
    },
    'intel:remove-list': async (request: Parameters<typeof engine['intel:remove-list']>[0]) => {
      const r = await engine['intel:remove-list'](request);
      if (r.removed) await redetect();
      return r;
    },
  };
  return { handlers, refresh: intel.refresh };
}
