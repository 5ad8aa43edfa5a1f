import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../shared/event.ts';
import type { Line } from '../ingest/line-splitter.ts';
import { useTempDir } from '../test/temp.ts';
import { openCase } from './case-db.ts';
import { EventWriter } from './event-writer.ts';
import { queryEvents } from './events-query.ts';

const tempDir = useTempDir();

function line(n: number, text: string): Line {
  return { text, lineNo: n, offset: n * 100, byteLength: text.length, truncated: false, invalidBytes: null };
}

describe('EventWriter', () => {
  it('stores a batch\'s repeated values the same whether they go in the statement as literals or are bound', () => {
    const c = openCase(join(tempDir(), 'lit.loupe'), { create: true });
    const w = new EventWriter(c.db, 1);
    // Hosts that repeat over whole batches of 32 rows: safe names (literals), then hostile ones
    // (a quote, SQL, a NUL, non-ASCII, an overlong name), which must be bound and kept exactly;
    // then more distinct names than the writer keeps statements for.
    const hosts = [
      'web-01', 'web-01', `o'brien`, "x'); DROP TABLE events; --", 'nul\u0000host', 'hôte', 'h'.repeat(65),
      ...Array.from({ length: 60 }, (_, i) => `node-${i}`),
    ];
    const written: { host: string; version: string }[] = [];
    hosts.forEach((host, b) => {
      for (let r = 0; r < 32; r++) {
        const n = b * 32 + r + 1;
        const version = b % 2 ? 'HTTP/1.1' : r % 2 ? 'HTTP/1.0' : 'HTTP/2.0';
        written.push({ host, version });
        w.write(line(n, `line ${n}`), { ts: 1_000 + n, dataset: 'apache.access', host, httpVersion: version, httpStatus: 200 });
      }
    });
    w.commit();
    const rows = c.db.prepare('SELECT host, http_version AS version, dataset, line_no FROM events ORDER BY id').all() as
      { host: string; version: string; dataset: string; line_no: number }[];
    expect(rows.map((r) => ({ host: r.host, version: r.version }))).toEqual(written);
    expect(rows.every((r, i) => r.dataset === 'apache.access' && r.line_no === i + 1)).toBe(true);
    expect(c.db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'events'").pluck().get()).toBe(1);
    c.close();
  });

  it('stores rows whose fields vary from line to line, in line order, each field in its column', () => {
    const c = openCase(join(tempDir(), 'w.loupe'), { create: true });
    const w = new EventWriter(c.db, 1);
    const events: (ParsedEvent | null)[] = [];
    for (let i = 1; i <= 100; i++) {
      // Fields appear part way through, so the writer has to widen its statement mid-batch.
      const e: ParsedEvent = { ts: 1_000 + i, dataset: i % 3 ? 'sshd' : 'syslog' };
      if (i > 10) e.user = `u${i}`;
      if (i > 40) e.srcIp = `192.0.2.${i}`;
      if (i === 77) e.extra = { note: 'x' };
      if (i === 80) e.flags = 4;
      events.push(i === 50 ? null : e);
      w.write(line(i, `line ${i}`), i === 50 ? null : e);
    }
    w.commit();
    const rows = queryEvents(c.db, {}, { limit: 200 }).sort((a, b) => a.id - b.id);
    expect(rows.map((r) => r.lineNo)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(rows[4]).toMatchObject({ dataset: 'sshd', raw: 'line 5', flags: 0 });
    expect(rows[4]?.user).toBeUndefined();
    expect(rows[49]).toMatchObject({ dataset: 'unparsed', ts: null, raw: 'line 50' });
    expect(rows[76]).toMatchObject({ user: 'u77', srcIp: '192.0.2.77', extra: { note: 'x' } });
    expect(rows[79]?.flags).toBe(4);
    expect(rows[80]?.flags).toBe(0);
    c.close();
  });

  it('keeps a row the schema refuses as unparsed with the reason, and the rows around it intact', () => {
    const c = openCase(join(tempDir(), 'bad.loupe'), { create: true });
    const w = new EventWriter(c.db, 1);
    for (let i = 1; i <= 40; i++) {
      const e: ParsedEvent = { ts: i, dataset: 'json', host: 'h' };
      // A parser bug: an object where text belongs.
      if (i === 7) (e as unknown as { host: unknown }).host = { nested: true };
      w.write(line(i, `raw ${i}`), e);
    }
    w.commit();
    const rows = queryEvents(c.db, {}, { limit: 100 }).sort((a, b) => a.id - b.id);
    expect(rows).toHaveLength(40);
    expect(rows[6]).toMatchObject({ dataset: 'unparsed', raw: 'raw 7' });
    expect(rows[6]?.extra?.['loupe.store_error']).toBeTypeOf('string');
    expect(rows[7]).toMatchObject({ dataset: 'json', host: 'h', raw: 'raw 8' });
    c.close();
  });
});
