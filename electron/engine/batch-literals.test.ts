import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BatchLiterals } from './batch-literals.ts';

/** A batch of `rows` rows of (dataset, host, raw), `host(r)` giving each row's host. */
function batch(rows: number, host: (r: number) => string): unknown[] {
  return Array.from({ length: rows }, (_, r) => ['sshd', host(r), `line ${r}`]).flat();
}

describe('BatchLiterals', () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (dataset TEXT, host TEXT, raw TEXT)');
  const literals = (): BatchLiterals => new BatchLiterals(db, ['dataset', 'host', 'raw'], 4,
    (cells) => `INSERT INTO t VALUES ${Array<string>(4).fill(`(${cells.join(', ')})`).join(', ')}`);

  it('writes a column that holds one plain value over the batch into the statement, and binds the rest', () => {
    const l = literals();
    const values = batch(4, () => 'web-01');
    const b = l.statementFor(values);
    expect(b?.statement.source).toContain(`'sshd', 'web-01', ?`);
    expect(b?.bound).toEqual([2]);
    expect(l.pick(b!, values, [])).toEqual(['line 0', 'line 1', 'line 2', 'line 3']);
    // A host that changes within the batch is bound; the constant dataset still is not.
    expect(l.statementFor(batch(4, (r) => `h${r % 2}`))?.bound).toEqual([1, 2]);
  });

  it('binds values that would need escaping or could end the text, and stops adding statements at its limit', () => {
    const l = literals();
    for (const hostile of [`o'brien`, "x'); DROP TABLE t; --", 'nul\u0000', 'hôte', 'h'.repeat(65), '']) {
      expect(l.statementFor(batch(4, () => hostile))?.bound, JSON.stringify(hostile)).toEqual([1, 2]);
    }
    for (let i = 0; i < 60; i++) l.statementFor(batch(4, () => `node-${i}`));
    expect(l.statementFor(batch(4, () => 'node-new'))).toBeUndefined();
  });
});
