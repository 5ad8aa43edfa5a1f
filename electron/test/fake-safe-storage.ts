/** Stands in for Electron's safeStorage (which needs Electron): AES-256-GCM with a key held in memory. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretEncryptor } from '../intel/key-file.ts';

export function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SecretEncryptor {
  const secret = randomBytes(32);
  return {
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (plain) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptStringAsync: async (b) => {
      const d = createDecipheriv('aes-256-gcm', secret, b.subarray(0, 12));
      d.setAuthTag(b.subarray(12, 28));
      return { result: Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8') };
    },
  };
}
