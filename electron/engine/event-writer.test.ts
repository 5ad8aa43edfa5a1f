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
