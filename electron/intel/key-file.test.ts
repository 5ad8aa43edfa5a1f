import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { fakeSafeStorage as encryptor } from '../test/fake-safe-storage.ts';
import { createKeyStore, KeyStoreRefused } from './key-file.ts';

const tempDir = useTempDir();
const KEY = 'abuse-KEY-7c1d9e0f4a';

describe('the key store', () => {
  it('keeps keys encrypted, readable only through the encryptor, in a file only the user can read', async () => {
    const path = join(tempDir(), 'conf', 'intel-keys.json');
    const store = createKeyStore(path, encryptor('gnome_libsecret'), 'linux');
    await store.set('abuseipdb', KEY);
    expect(readFileSync(path, 'utf8')).not.toContain(KEY);
    expect(statSync(path).mode & 0o077).toBe(0);
    expect(await store.keys('abuseipdb')).toBe(KEY);
    expect(await store.keys('greynoise')).toBeUndefined();
    expect(store.saved()).toEqual(['abuseipdb']);
    store.delete('abuseipdb');
    expect(await store.keys('abuseipdb')).toBeUndefined();
    expect(store.saved()).toEqual([]);
  });

  it('refuses to store a key when Linux has only the plaintext fallback (basic_text), and writes nothing', async () => {
    const path = join(tempDir(), 'intel-keys.json');
    const store = createKeyStore(path, encryptor('basic_text'), 'linux');
    await expect(store.set('abuseipdb', KEY)).rejects.toThrow(KeyStoreRefused);
    await expect(store.set('abuseipdb', KEY)).rejects.toThrow(/no secret store \(keyring\).*LOUPE_\*_KEY/);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses when the secret store is not available, and does not decrypt saved keys through the fallback', async () => {
    const dir = tempDir();
    const path = join(dir, 'intel-keys.json');
    const good = encryptor('kwallet5');
    await createKeyStore(path, good, 'linux').set('ipinfo', KEY);
    const degraded = createKeyStore(path, { ...good, getSelectedStorageBackend: () => 'basic_text' }, 'linux');
    await expect(degraded.keys('ipinfo')).rejects.toThrow(KeyStoreRefused);
    const unavailable = createKeyStore(path, encryptor('kwallet5', false), 'linux');
    await expect(unavailable.set('ipinfo', KEY)).rejects.toThrow(/secret store is not available/);
  });
});
