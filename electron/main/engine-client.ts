import { Worker } from 'node:worker_threads';
import type { ProviderId } from '../../shared/intel/model.ts';
import type { KeyStore } from '../intel/key-file.ts';
import type { EngineStart, FromEngine, ToEngine } from './engine-protocol.ts';
import type { EngineChannel } from './handlers.ts';
import type { Push } from './session.ts';

export interface EngineClientOptions {
  /** The engine worker's code: the bundled out/main/engine-worker.js, or by default the TypeScript source. */
  workerUrl?: URL;
  dataDir: string;
  importWorkerUrl?: URL;
  /** Where the worker's push events go (the caller validates them: dispatch.ts's validatedPush). */
  push: Push;
  log: (message: string) => void;
  /** The API key store the engine asks when a lookup needs a key; absent, it gets none. */
  keyStore?: Pick<KeyStore, 'keys' | 'saved'>;
  providerBaseUrls?: Partial<Record<ProviderId, string>>;
}

/** A call the engine could not answer because its thread died; the message is for the analyst. */
export class EngineStopped extends Error {
  override name = 'EngineStopped';
}

interface Pending {
  channel: EngineChannel;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface Running {
  worker: Worker;
  ready: boolean;
  exited: Promise<void>;
}

/**
 * The main process's side of the engine worker: forwards calls, delivers the worker's push events,
 * and, when the thread dies, fails the calls in flight with a clear message and starts a new worker
 * that reopens the case. Calls are not queued behind each other: the worker answers each as it can.
 */
export class EngineClient {
  private readonly options: EngineClientOptions;
  private readonly pending = new Map<number, Pending>();
  private running: Running | null = null;
  private nextId = 1;
  private openCase: string | null = null;
  private closing: Promise<void> | null = null;

  constructor(options: EngineClientOptions) {
    this.options = options;
  }

  /** The case the engine has open or is importing into, as of its last answer. */
  get casePath(): string | null {
    return this.openCase;
  }

  call(channel: EngineChannel, request: unknown): Promise<unknown> {
    if (this.closing) return Promise.reject(new EngineStopped('Loupe is closing'));
    // Started by the first call. One that died while starting is not restarted at once (it would
    // likely die again): the next call tries.
    this.running ??= this.spawn(this.openCase);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { channel, resolve, reject });
      this.post({ type: 'call', id, channel, request });
    });
  }

  /**
   * Ends the engine's thread as a crash would: calls in flight fail, a new worker takes over. For
   * tests, and for a watchdog should the engine ever hang.
   */
  async terminateWorker(): Promise<void> {
    const r = this.running;
    if (!r) return;
    await r.worker.terminate();
    await r.exited;
  }

  /** Closes the case (cancelling an import) and ends the thread; waits at most `graceMs` before forcing it. */
  close(graceMs = 5000): Promise<void> {
    this.closing ??= (async () => {
      const r = this.running;
      if (!r) return;
      this.post({ type: 'close' });
      const timer = setTimeout(() => void r.worker.terminate(), graceMs);
      await r.exited;
      clearTimeout(timer);
    })();
    return this.closing;
  }

  private post(message: ToEngine): void {
    this.running?.worker.postMessage(message);
  }

  private spawn(reopen: string | null): Running {
    const start: EngineStart = {
      dataDir: this.options.dataDir,
      importWorkerUrl: this.options.importWorkerUrl?.href ?? null,
      reopen,
      providerBaseUrls: this.options.providerBaseUrls ?? null,
    };
    const worker = new Worker(this.options.workerUrl ?? new URL('./engine-worker.ts', import.meta.url), { workerData: start });
    let exit: () => void = () => {};
    const running: Running = { worker, ready: false, exited: new Promise((resolve) => (exit = resolve)) };
    worker.on('message', (m: FromEngine) => this.receive(running, m));
    worker.on('error', (err) => this.options.log(`engine worker failed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => {
      this.stopped(running, code);
      exit();
    });
    return running;
  }

  private receive(running: Running, m: FromEngine): void {
    switch (m.type) {
      case 'push':
        this.options.push(m.event, m.payload as never);
        return;
      case 'ready':
        running.ready = true;
        this.openCase = m.casePath;
        if (m.reopenError !== null) this.options.log(`the restarted engine could not reopen the case: ${m.reopenError}`);
        return;
      case 'reply': {
        this.openCase = m.casePath;
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.value);
        else {
          const error = new Error(m.error);
          // The worker's stack, so the log says where it failed; the analyst only sees the message.
          if (m.stack !== null) error.stack = m.stack;
          p.reject(error);
        }
        return;
      }
      case 'keys':
        void this.answerKeys(running, m.id, m.provider);
        return;
      default:
        m satisfies never;
    }
  }

  private async answerKeys(running: Running, id: number, provider: ProviderId | null): Promise<void> {
    const store = this.options.keyStore;
    let reply: Extract<ToEngine, { type: 'keys-reply' }>;
    try {
      reply = {
        type: 'keys-reply', id, error: null,
        key: provider === null || !store ? null : ((await store.keys(provider)) ?? null),
        saved: store?.saved() ?? [],
      };
    } catch (err) {
      // The store's own message (e.g. "no keyring"); it never contains a key.
      reply = { type: 'keys-reply', id, key: null, saved: [], error: (err as Error).message };
    }
    if (this.running === running) running.worker.postMessage(reply);
  }

  private stopped(running: Running, code: number): void {
    if (this.running === running) this.running = null;
    const calls = [...this.pending.values()];
    this.pending.clear();
    if (this.closing) {
      for (const p of calls) p.reject(new EngineStopped('Loupe is closing'));
      return;
    }
    this.options.log(`engine worker stopped unexpectedly (exit code ${code})${running.ready ? '; starting a new one' : ' while starting'}`);
    const again = this.openCase === null ? 'try again' : 'the case is being reopened: try again';
    for (const p of calls) {
      p.reject(new EngineStopped(`Loupe's engine stopped unexpectedly while working on ${p.channel} (exit code ${code}); ${again}`));
    }
    if (running.ready) this.running = this.spawn(this.openCase);
  }
}
