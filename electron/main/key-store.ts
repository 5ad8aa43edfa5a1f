// The app's API key store: key-file.ts with Electron's safeStorage as the encryptor. Kept this thin
// because Electron cannot run in the test environment; everything else is tested in plain Node.
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { createKeyStore, KEYS_FILE, type KeyStore } from '../intel/key-file.ts';

export function openKeyStore(userDataDir: string): KeyStore {
  return createKeyStore(join(userDataDir, KEYS_FILE), safeStorage);
}
