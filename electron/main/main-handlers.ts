import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import { PROVIDERS } from '../intel/providers/index.ts';
import type { KeyStore } from '../intel/key-file.ts';
import { LOUPE_VERSION } from '../engine/version.ts';
import type { Dialogs } from './dialogs.ts';
import type { HandlerTable, MainChannel } from './handlers.ts';

export interface MainDeps {
  dialogs: Dialogs;
  /** Where API keys are kept (Electron's safeStorage in the app); absent, keys cannot be saved. */
  keyStore?: KeyStore;
  /** The intel settings as the engine reports them (after a key was saved or deleted). */
  intelSettings?: () => Promise<IntelSettingsDto>;
}

/**
 * The handlers that run in the main process itself: the dialogs need Electron, app info needs
 * nothing, API keys are saved with Electron's safeStorage and never leave this process except,
 * one at a time, to the engine for a lookup. Every other channel goes to the engine worker.
 */
export function createMainHandlers(deps: MainDeps): HandlerTable<MainChannel> {
  const settings = async (): Promise<IntelSettingsDto> => {
    if (!deps.intelSettings) throw new Error('the intel settings cannot be read here');
    return deps.intelSettings();
  };
  const store = (): KeyStore => {
    if (!deps.keyStore) throw new Error('API keys cannot be saved here; the command line reads them from LOUPE_*_KEY variables');
    return deps.keyStore;
  };
  return {
    'app:get-info': () => ({ name: 'Loupe', version: LOUPE_VERSION }),
    'dialog:pick-case': async ({ purpose }) => ({ path: await deps.dialogs.pickCase(purpose) }),
    'dialog:pick-evidence': async ({ kind }) => ({ paths: await deps.dialogs.pickEvidence(kind) }),
    'intel:set-key': async ({ provider, key }) => {
      if (!PROVIDERS[provider].key) throw new Error(`${PROVIDERS[provider].title} takes no API key`);
      // KeyStoreRefused says why (no keyring); its message never holds the key.
      await store().set(provider, key.trim());
      return settings();
    },
    'intel:delete-key': async ({ provider }) => {
      store().delete(provider);
      return settings();
    },
  };
}
