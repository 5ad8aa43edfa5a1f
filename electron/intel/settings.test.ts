import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { configDir, DEFAULT_SETTINGS, readIntelSettings, SETTINGS_FILE, writeIntelSettings } from './settings.ts';

const tempDir = useTempDir();

describe('intel settings', () => {
  it('default to no databases and every provider off', () => {
    expect(readIntelSettings(tempDir())).toEqual({ settings: { mmdb: [], providers: [] }, problem: null });
  });

  it('round-trip through the settings file', () => {
    const dir = join(tempDir(), 'new');
    writeIntelSettings(dir, { mmdb: ['/data/GeoLite2-City.mmdb'], providers: ['shodan-internetdb'] });
    expect(readIntelSettings(dir).settings).toEqual({ mmdb: ['/data/GeoLite2-City.mmdb'], providers: ['shodan-internetdb'] });
  });

  it('a damaged file turns every provider off and says so', () => {
    const dir = tempDir();
    writeFileSync(join(dir, SETTINGS_FILE), '{"providers": ["abuseipdb", "evil"]}');
    const r = readIntelSettings(dir);
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
    expect(r.problem).toMatch(/intel-settings\.json: .*using defaults \(every provider off\)/);
    writeFileSync(join(dir, SETTINGS_FILE), 'providers=all');
    expect(readIntelSettings(dir).problem).toMatch(/not JSON/);
  });

  it('live where Electron keeps the app\'s data, unless LOUPE_CONFIG_DIR says otherwise', () => {
    expect(configDir({ LOUPE_CONFIG_DIR: '/x' }, 'linux')).toBe('/x');
    expect(configDir({ XDG_CONFIG_HOME: '/home/a/.cfg' }, 'linux')).toBe('/home/a/.cfg/Loupe');
    expect(configDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toMatch(/Roaming.Loupe$/);
  });
});
