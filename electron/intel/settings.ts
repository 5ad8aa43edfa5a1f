/**
 * Intel settings of the app (not of a case): the GeoIP databases to read and the providers the
 * analyst turned on. One JSON file in Loupe's configuration folder, shared by the app and the CLI;
 * a case never records them. API keys are not in here (key-file.ts keeps them, encrypted).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PROVIDER_IDS, type ProviderId } from '../../shared/intel/model.ts';

export const SETTINGS_FILE = 'intel-settings.json';

const settingsSchema = z.object({
  /** `.mmdb` files: GeoLite2/DB-IP Lite City or Country, and ASN. */
  mmdb: z.array(z.string().min(1).max(4096)).max(8).default([]),
  /** Providers turned on (opt-in: absent means off). */
  providers: z.array(z.enum(PROVIDER_IDS)).default([]),
});

export type IntelSettings = z.output<typeof settingsSchema>;

export const DEFAULT_SETTINGS: IntelSettings = { mmdb: [], providers: [] };

/**
 * Loupe's configuration folder: LOUPE_CONFIG_DIR, else where Electron keeps the app's data
 * (`app.getPath('userData')`, which electron/main/index.ts names Loupe), so the CLI and the app read the same file.
 */
export function configDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const explicit = env['LOUPE_CONFIG_DIR'];
  if (explicit) return explicit;
  if (platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Loupe');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Loupe');
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'Loupe');
}

/** The settings; defaults when there is no file, and a problem to show when the file is unreadable. */
export function readIntelSettings(dir: string): { settings: IntelSettings; problem: string | null } {
  const path = join(dir, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { settings: DEFAULT_SETTINGS, problem: null };
    return { settings: DEFAULT_SETTINGS, problem: `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'}); using defaults` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { settings: DEFAULT_SETTINGS, problem: `${path}: not JSON; using defaults (every provider off)` };
  }
  const r = settingsSchema.safeParse(value);
  if (!r.success) return { settings: DEFAULT_SETTINGS, problem: `${path}: ${r.error.issues[0]?.message ?? 'invalid'}; using defaults (every provider off)` };
  return { settings: r.data, problem: null };
}

/** Writes the settings atomically (a half-written file would turn every provider off, safe but surprising). */
export function writeIntelSettings(dir: string, settings: IntelSettings): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, SETTINGS_FILE);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(settingsSchema.parse(settings), null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, path);
}

export function isEnabled(settings: IntelSettings, provider: ProviderId): boolean {
  return settings.providers.includes(provider);
}
