/**
 * Where API keys come from. The engine asks a key provider when it is about to send a request,
 * and keeps a key no longer than that request: keys are never stored in the case, written to a
 * log, or put in an error message. The CLI reads them from the environment; the app from its
 * safeStorage-backed key store (electron/main/key-store.ts).
 */
import type { ProviderId } from '../../shared/intel/model.ts';
import { PROVIDERS } from './providers/index.ts';

export type KeyProvider = (provider: ProviderId) => string | undefined | Promise<string | undefined>;

/** Keys from environment variables: LOUPE_ABUSEIPDB_KEY, LOUPE_IPINFO_TOKEN, LOUPE_GREYNOISE_KEY. */
export function envKeys(env: NodeJS.ProcessEnv = process.env): KeyProvider {
  return (id) => {
    const spec = PROVIDERS[id].key;
    const value = spec ? env[spec.env]?.trim() : undefined;
    return value === '' ? undefined : value;
  };
}

/** No keys at all. */
export const noKeys: KeyProvider = () => undefined;

/** `text` with every occurrence of the key replaced, for anything a provider sent back. */
export function redact(text: string, key: string | undefined): string {
  return key && key.length >= 4 ? text.split(key).join('[API key]') : text;
}
