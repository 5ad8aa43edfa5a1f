/**
 * The app's API keys, encrypted with the operating system's secret store through an encryptor
 * with the shape of Electron's `safeStorage`, in one file of the configuration folder. Keys are
 * refused rather than stored when the only "encryption" is Chromium's plaintext fallback
 * (`basic_text` on Linux without a keyring), since anyone reading the file would read the keys.
 * https://www.electronjs.org/docs/latest/api/safe-storage
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PROVIDER_IDS, type ProviderId } from '../../shared/intel/model.ts';
import type { KeyProvider } from './keys.ts';

export const KEYS_FILE = 'intel-keys.json';

/** What Loupe uses of Electron's `safeStorage`. */
export interface SecretEncryptor {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
  /** Linux only: which secret store encrypts (`basic_text` is none). */
  getSelectedStorageBackend?(): string;
}

export class KeyStoreRefused extends Error {}

export interface KeyStore {
  /** Encrypts and saves the key; throws KeyStoreRefused when it cannot be kept safely. */
  set(provider: ProviderId, key: string): Promise<void>;
  delete(provider: ProviderId): void;
  /** Providers with a saved key (the keys themselves are never listed). */
  saved(): ProviderId[];
  keys: KeyProvider;
}

type Stored = Partial<Record<ProviderId, string>>;

function load(path: string): Stored {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
  const out: Stored = {};
  if (typeof value === 'object' && value !== null) {
    for (const id of PROVIDER_IDS) {
      const v = (value as Record<string, unknown>)[id];
      if (typeof v === 'string') out[id] = v;
    }
  }
  return out;
}

function save(path: string, stored: Stored): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(stored)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

export function createKeyStore(path: string, encryptor: SecretEncryptor, platform: NodeJS.Platform = process.platform): KeyStore {
  const check = async (): Promise<void> => {
    if (platform === 'linux' && encryptor.getSelectedStorageBackend?.() === 'basic_text') {
      throw new KeyStoreRefused('Loupe will not keep API keys here: this desktop has no secret store (keyring) that Electron can use, '
        + 'so a saved key would be readable by anyone who can read your files. Unlock or install a keyring (GNOME Keyring, KWallet), '
        + 'or use the command line with the LOUPE_*_KEY environment variables.');
    }
    if (!(await encryptor.isAsyncEncryptionAvailable())) {
      throw new KeyStoreRefused('Loupe will not keep API keys here: the operating system\'s secret store is not available.');
    }
  };
  return {
    async set(provider, key) {
      await check();
      const encrypted = await encryptor.encryptStringAsync(key);
      save(path, { ...load(path), [provider]: encrypted.toString('base64') });
    },
    delete(provider) {
      const stored = load(path);
      delete stored[provider];
      save(path, stored);
    },
    saved: () => PROVIDER_IDS.filter((id) => load(path)[id] !== undefined),
    keys: async (provider) => {
      const encrypted = load(path)[provider];
      if (encrypted === undefined) return undefined;
      await check();
      return (await encryptor.decryptStringAsync(Buffer.from(encrypted, 'base64'))).result;
    },
  };
}
