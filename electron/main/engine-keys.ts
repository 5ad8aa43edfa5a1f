// The engine worker's side of the API keys: it holds none. When a lookup needs a key, it asks the
// main process (engine-client.ts answers from the safeStorage key store) and uses the answer for
// that one request; the settings ask which providers have a key, never for the keys.
import type { ProviderId } from '../../shared/intel/model.ts';
import type { KeyProvider } from '../intel/keys.ts';
import type { FromEngine, ToEngine } from './engine-protocol.ts';

type KeysReply = Extract<ToEngine, { type: 'keys-reply' }>;

export interface KeyBroker {
  keys: KeyProvider;
  saved(): Promise<ProviderId[]>;
  receive(reply: KeysReply): void;
}

export function createKeyBroker(send: (m: FromEngine) => void): KeyBroker {
  const pending = new Map<number, (reply: KeysReply) => void>();
  let nextId = 1;
  const ask = (provider: ProviderId | null): Promise<KeysReply> => new Promise((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    send({ type: 'keys', id, provider });
  });
  return {
    keys: async (provider) => {
      const reply = await ask(provider);
      if (reply.error !== null) throw new Error(reply.error);
      return reply.key ?? undefined;
    },
    saved: async () => (await ask(null)).saved,
    receive(reply) {
      const resolve = pending.get(reply.id);
      pending.delete(reply.id);
      resolve?.(reply);
    },
  };
}
