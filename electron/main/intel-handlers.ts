import type { ProviderId } from '../../shared/intel/model.ts';
import { createIntelHandlers } from '../intel/handlers.ts';
import { noKeys, type KeyProvider } from '../intel/keys.ts';
import { requireCase, type Session } from './session.ts';

/**
 * The intel channels the engine answers, on the session's case, with the app's intel settings in
 * its data folder. Keys come from the main process one lookup at a time (engine-keys.ts).
 */
export function createEngineIntelHandlers(session: Session, deps: {
  dataDir: string; keys?: KeyProvider; savedKeys?: () => Promise<ProviderId[]>; providerBaseUrls?: Partial<Record<ProviderId, string>>;
}) {
  const { 'intel:set-key': _set, 'intel:delete-key': _delete, ...engine } = createIntelHandlers({
    getCase: () => requireCase(session),
    configDir: deps.dataDir,
    keys: deps.keys ?? noKeys,
    ...(deps.savedKeys ? { savedKeys: deps.savedKeys } : {}),
    onProgress: (p) => session.push('intel:lookup-progress-changed', p),
    ...(deps.providerBaseUrls ? { client: { baseUrls: deps.providerBaseUrls } } : {}),
  });
  return engine;
}
