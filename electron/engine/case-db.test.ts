import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { readAudit } from './audit.ts';
import { CaseOpenError, EVENT_INDEXES, openCase } from './case-db.ts';
import { CaseSchemaError, loadMigrations } from './migrations.ts';

const tempDir = useTempDir();

describe('case file', () => {
  it('creates a WAL case with every migration recorded with its checksum', () => {
    const path = join(tempDir(), 'new.loupe');
    const c = openCase(path, { create: true });
    expect(c.db.pragma('journal_mode', { simple: true })).toBe('wal');
    const rows = c.db.prepare('SELECT version, name, checksum FROM schema_migrations').all();
    expect(rows).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));
    expect(readAudit(c.db).map((a) => a.action)).toEqual(['case-created']);
    c.close();
  });

  it('migration 0001 creates STRICT tables for sources, events and the audit log', () => {
    const c = openCase(join(tempDir(), 'm.loupe'), { create: true });
    const tables = c.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table'").all() as { name: string; sql: string }[];
    for (const name of ['sources', 'events', 'raw_bytes', 'audit_log', 'case_meta']) {
      expect(tables.find((t) => t.name === name)?.sql, name).toMatch(/STRICT$/);
    }
    // STRICT refuses a value of the wrong type instead of storing it silently.
    expect(() => c.db.prepare("INSERT INTO events (ts, source_id, line_no, offset, dataset, raw) VALUES ('soon', 1, 1, 0, 'x', 'x')").run()).toThrow();
    // The audit log is append-only.
    expect(() => c.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    c.close();
  });

  it('reopens an existing case without applying anything twice', () => {
    const path = join(tempDir(), 'again.loupe');
    openCase(path, { create: true }).close();
    const c = openCase(path);
    expect((c.db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(loadMigrations().length);
    expect(readAudit(c.db)).toHaveLength(1);
    c.close();
  });

  it('refuses a case written by a newer Loupe, and leaves it untouched', () => {
    const path = join(tempDir(), 'future.loupe');
    openCase(path, { create: true }).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations VALUES (99, 'from_the_future', 'x', 0)").run();
    raw.close();
    expect(() => openCase(path)).toThrow(CaseSchemaError);
    expect(() => openCase(path)).toThrow(/newer Loupe \(case schema 99, this Loupe knows up to \d+\)/);
    expect(() => openCase(path, { readonly: true })).toThrow(/newer Loupe/);
    const check = new Database(path);
    expect((check.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(99);
    check.close();
  });

  it('refuses a case whose recorded migration differs from ours', () => {
    const path = join(tempDir(), 'tampered.loupe');
    openCase(path, { create: true }).close();
    const raw = new Database(path);
    raw.prepare("UPDATE schema_migrations SET checksum = 'changed' WHERE version = 1").run();
    raw.close();
    expect(() => openCase(path)).toThrow(/migration 1 \(init\) differs/);
  });

  it('refuses files that are not cases, with the path in the message', () => {
    const dir = tempDir();
    expect(() => openCase(join(dir, 'missing.loupe'))).toThrow(CaseOpenError);
    expect(() => openCase(join(dir, 'missing.loupe'))).toThrow(/missing\.loupe: no such case file/);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'this is not a database at all, just some text that is long enough\n'.repeat(100));
    expect(() => openCase(text)).toThrow(/notes\.txt: not a Loupe case file/);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    expect(() => openCase(empty, { create: true })).toThrow(/empty\.txt: this file is empty and not a \.loupe case/);
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => openCase(other)).toThrow(/not a Loupe case \(no schema_migrations table\)/);
  });

  it('builds again, when the case is opened, an index a case has under an older definition', () => {
    const path = join(tempDir(), 'old-index.loupe');
    const c = openCase(path, { create: true });
    c.db.exec('DROP INDEX events_src_ip; CREATE INDEX events_src_ip ON events (src_ip)');
    c.close();
    const again = openCase(path);
    const sql = (name: string): string => again.db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(name) as string;
    for (const index of EVENT_INDEXES) expect(sql(index.name)).toBe(index.sql.replace('IF NOT EXISTS ', ''));
    again.close();
  });
});
