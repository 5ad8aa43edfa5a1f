/** Migration 0004: the listener and peer tables, their checks, and what goes with a deleted source. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openCase } from '../engine/case-db.ts';
import { loadMigrations, migrate } from '../engine/migrations.ts';
import { deleteSource } from '../engine/sources.ts';
import { useTempDir } from '../test/temp.ts';
import { LiveSource } from './live-source.ts';

const tempDir = useTempDir();

describe('migration 0004: syslog', () => {
  it('creates STRICT tables whose rows go with their source', () => {
    const c = openCase(join(tempDir(), 'case.loupe'), { create: true });
    const sql = (name: string): string => c.db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().get(name) as string;
    expect(sql('syslog_listeners')).toMatch(/STRICT$/);
    expect(sql('syslog_peers')).toMatch(/STRICT, WITHOUT ROWID$/);
    const source = new LiveSource(c.db, { url: 'syslog+udp://127.0.0.1:5514', name: 'x', transport: 'udp', host: '127.0.0.1', port: 5514, timezone: 'UTC', maxMessageBytes: 1024 });
    expect(() => c.db.prepare("UPDATE syslog_listeners SET transport = 'carrier-pigeon'").run()).toThrow(/CHECK constraint failed/);
    source.store([], { newConnections: new Map([['192.0.2.1', 2]]), newTlsFailures: new Map(), connections: 2, tlsFailures: 0, kernelDrops: 0, queueDrops: 0 });
    expect(c.db.prepare('SELECT address, connections FROM syslog_peers').all()).toEqual([{ address: '192.0.2.1', connections: 2 }]);
    c.db.transaction(() => deleteSource(c.db, source.id))();
    expect(c.db.prepare('SELECT (SELECT count(*) FROM syslog_listeners) + (SELECT count(*) FROM syslog_peers)').pluck().get()).toBe(0);
    c.close();
  });

  it('upgrades a case written with schema 3', () => {
    const path = join(tempDir(), 'old.loupe');
    const raw = new Database(path);
    migrate(raw, path, loadMigrations().slice(0, 3));
    raw.close();
    const c = openCase(path);
    expect(c.db.prepare("SELECT name FROM schema_migrations WHERE version = 4").pluck().get()).toBe('syslog');
    expect(c.db.prepare('SELECT count(*) FROM syslog_listeners').pluck().get()).toBe(0);
    c.close();
  });
});
