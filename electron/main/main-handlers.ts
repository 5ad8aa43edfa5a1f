import { LOUPE_VERSION } from '../engine/version.ts';
import type { Dialogs } from './dialogs.ts';
import type { HandlerTable, MainChannel } from './handlers.ts';

/**
 * The handlers that run in the main process itself: the dialogs need Electron, app info needs
 * nothing. Every other channel goes to the engine worker (engine-client.ts).
 */
export function createMainHandlers(deps: { dialogs: Dialogs }): HandlerTable<MainChannel> {
  return {
    'app:get-info': () => ({ name: 'Loupe', version: LOUPE_VERSION }),
    'dialog:pick-case': async ({ purpose }) => ({ path: await deps.dialogs.pickCase(purpose) }),
    'dialog:pick-evidence': async ({ kind }) => ({ paths: await deps.dialogs.pickEvidence(kind) }),
  };
}
