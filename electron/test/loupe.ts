import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { PushEvent } from '../../shared/ipc/contract.ts';
import { createLoupe, type Loupe, type LoupeOptions } from '../main/compose.ts';
import { scriptedDialogs, type ScriptedDialogs } from '../main/dialogs.ts';
import { createDispatch, validatedPush, type Dispatch } from '../main/dispatch.ts';

export const APP_URL = 'http://127.0.0.1:4000/index.html';
/** The sender of calls from the app's own page. */
export const TRUSTED = { url: APP_URL };

export interface TestLoupe {
  loupe: Loupe;
  /** The validating dispatcher over the full handler table, as ipcMain's handlers call it. */
  dispatch: Dispatch;
  /** Push events the window would have received, in order. */
  pushed: { event: PushEvent; payload: unknown }[];
  /** What the dispatcher and the engine client logged (refusals, stacks, worker deaths). */
  logged: string[];
  dialogs: ScriptedDialogs;
  /** The app's data folder (recent cases, the sample case), a fresh temp folder. */
  dataDir: string;
}

/**
 * A Loupe as Electron's main builds it (compose.ts: main-side handlers, the engine in its worker
 * thread), with stand-in dialogs and a temp data folder; closed after each test. Calls `dispatch`
 * with `TRUSTED` as the sender. A push that breaks the contract fails the test.
 */
export function useLoupe(): (options?: Pick<LoupeOptions, 'keyStore' | 'providerBaseUrls'>) => TestLoupe {
  let made: TestLoupe[] = [];
  afterEach(async () => {
    for (const t of made) {
      await t.loupe.close();
      rmSync(t.dataDir, { recursive: true, force: true });
    }
    made = [];
  });
  return (options = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loupe-data-'));
    const pushed: TestLoupe['pushed'] = [];
    const logged: string[] = [];
    const dialogs = scriptedDialogs();
    const loupe = createLoupe({
      dataDir,
      dialogs,
      push: validatedPush((event, payload) => pushed.push({ event, payload }), (m) => {
        throw new Error(m);
      }),
      log: (m) => logged.push(m),
      ...options,
    });
    const dispatch = createDispatch(loupe.handlers, {
      isTrustedSender: (url) => new URL(url).origin === new URL(APP_URL).origin,
      log: (m) => logged.push(m),
    });
    const t = { loupe, dispatch, pushed, logged, dialogs, dataDir };
    made.push(t);
    return t;
  };
}
