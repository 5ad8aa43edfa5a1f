import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

/** The numbered `NNNN_name.sql` files of `migrations/`, in order; the folder is the registry. */
export function loadMigrations(dir: URL = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => {
      const sql = readFileSync(new URL(file, dir), 'utf8');
      return {
        version: Number(file.slice(0, 4)),
        name: file.slice(5, -4),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations: expected version ${i + 1}, found ${m.version}_${m.name}.sql`);
  });
  return migrations;
}

export class CaseSchemaError extends Error {}

/**
 * Brings a case up to the newest schema, one transaction per migration. A case written by a newer
 * Loupe, or whose recorded migrations differ from ours, is refused rather than touched.
 */
export function migrate(db: Database, casePath: string, migrations: Migration[] = loadMigrations()): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied = checkSchema(db, casePath, migrations);
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of migrations.slice(applied)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, m.checksum, Date.now());
    }).immediate();
  }
}

/**
 * Checks the migrations a case records against ours and returns how many are applied. Read-only
 * opens use it alone: they may read an older case but never a newer or a different one.
 */
export function checkSchema(db: Database, casePath: string, migrations: Migration[] = loadMigrations()): number {
  const applied = db.prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as { version: number; name: string; checksum: string }[];
  const newest = migrations.length;
  for (const row of applied) {
    if (row.version > newest) {
      throw new CaseSchemaError(
        `${casePath} was written by a newer Loupe (case schema ${applied.at(-1)?.version}, this Loupe knows up to ${newest}). ` +
          'Open it with that version or newer; it has not been changed.',
      );
    }
    const ours = migrations[row.version - 1];
    if (ours?.checksum !== row.checksum) {
      throw new CaseSchemaError(
        `${casePath}: schema migration ${row.version} (${row.name}) differs from this Loupe's; refusing to open it.`,
      );
    }
  }
  return applied.length;
}
