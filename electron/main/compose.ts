import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import type { KeyStore } from '../intel/key-file.ts';
import type { Dialogs } from './dialogs.ts';
import { EngineClient } from './engine-client.ts';
import { ENGINE_CHANNELS, type EngineChannel, type HandlerTable, type Handlers } from './handlers.ts';
import { LiveController } from './live-controller.ts';
import { createMainHandlers } from './main-handlers.ts';
import { SessionError, type Push } from './session.ts';

export interface LoupeOptions {
  /** The app's data folder (Electron's userData): the recent-cases list and the sample case. */
  dataDir: string;
  /** Electron's native dialogs in the app; a stand-in elsewhere (dialogs.ts). */
  dialogs: Dialogs;
  /** Push events for the window, already checked against the contract (dispatch.ts's validatedPush). */
  push: Push;
  log?: (message: string) => void;
  /** The bundled workers (out/main/*.js); by default the TypeScript sources, which plain Node runs. */
  engineWorkerUrl?: URL;
  importWorkerUrl?: URL;
  listenerWorkerUrl?: URL;
  detectorWorkerUrl?: URL;
  udpReaderWorkerUrl?: URL;
  /** API keys of the reputation providers: Electron's safeStorage store in the app (key-store.ts). */
  keyStore?: KeyStore;
  /** Reputation providers' addresses when not their own (tests point them at loopback servers). */
  providerBaseUrls?: Partial<Record<ProviderId, string>>;
}

export interface Loupe {
  /** One handler per contract channel, for createDispatch (dispatch.ts). */
  readonly handlers: Handlers;
  readonly engine: EngineClient;
  readonly live: LiveController;
  /** Stops live listeners, closes the case and ends the engine's thread. */
  close(): Promise<void>;
}

/**
 * Builds the full handler table: the main process's own handlers (dialogs, app info) and, for
 * every other channel, a forwarder to the engine worker. Electron's main, the e2e fixture, the
 * tests and the query benchmark all use this, so all of them exercise the same thing.
 */
export function createLoupe(options: LoupeOptions): Loupe {
  const log = options.log ?? ((m: string) => process.stderr.write(`loupe: ${m}\n`));
  const engine = new EngineClient({
    dataDir: options.dataDir,
    push: options.push,
    log,
    ...(options.engineWorkerUrl ? { workerUrl: options.engineWorkerUrl } : {}),
    ...(options.importWorkerUrl ? { importWorkerUrl: options.importWorkerUrl } : {}),
    ...(options.keyStore ? { keyStore: options.keyStore } : {}),
    ...(options.providerBaseUrls ? { providerBaseUrls: options.providerBaseUrls } : {}),
  });
  const live = new LiveController({
    engine, push: options.push, log,
    ...(options.listenerWorkerUrl ? { workerUrl: options.listenerWorkerUrl } : {}),
    ...(options.detectorWorkerUrl ? { detectorWorkerUrl: options.detectorWorkerUrl } : {}),
    ...(options.udpReaderWorkerUrl ? { udpReaderWorkerUrl: options.udpReaderWorkerUrl } : {}),
  });
  const forwarded = Object.fromEntries(ENGINE_CHANNELS.map((channel) =>
    [channel, (request: unknown) => engine.call(channel, request)])) as unknown as HandlerTable<EngineChannel>;
  return {
    handlers: {
      ...createMainHandlers({
        dialogs: options.dialogs,
        ...(options.keyStore ? { keyStore: options.keyStore } : {}),
        intelSettings: () => engine.call('intel:get-settings', undefined) as Promise<IntelSettingsDto>,
      }),
      ...forwarded,
      // Listeners write into the open case: they stop (storing what they received) before another
      // opens, and a file import, which needs the case to itself, waits for them to be stopped.
      'case:open': async (request) => {
        await live.stopAll();
        return forwarded['case:open'](request);
      },
      'case:create': async (request) => {
        await live.stopAll();
        return forwarded['case:create'](request);
      },
      'case:open-sample': async (request) => {
        await live.stopAll();
        return forwarded['case:open-sample'](request);
      },
      'import:start': (request) => {
        if (live.busy()) throw new SessionError('syslog listeners are writing into this case; stop them (Live view) before importing files');
        return forwarded['import:start'](request);
      },
      ...live.handlers(),
    },
    engine,
    live,
    close: async () => {
      await live.stopAll();
      await engine.close();
    },
  };
}
