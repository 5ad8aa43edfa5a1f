/**
 * Blocklists and IoC lists in a case: import (the file's hash and the date the list describes are
 * recorded, so a match reads "on LIST as known at DATE"), list, remove. Importing a list under a
 * name already used replaces that list.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Database } from 'better-sqlite3';
import { networkText, parseNetwork, type Network } from '../../shared/intel/ip.ts';
import { parseList, type ListFormat } from '../../shared/intel/list-parse.ts';
import type { ListDateSource, ListInfo } from '../../shared/intel/model.ts';
import { appendAudit } from '../engine/audit.ts';
import type { CaseDb } from '../engine/case-db.ts';

/** A list file that cannot be imported: the message names the file and why. */
export class ListImportError extends Error {}

export const MAX_LIST_BYTES = 256 * 1024 * 1024;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export interface ImportListOptions {
  /** The name rules and the dossier use (default: the file name without its extensions). */
  name?: string;
  /** The date the list describes, when its header does not say (UTC epoch ms). */
  date?: number;
  format?: ListFormat;
  /** CSV: the indicator column, by header or 1-based number. */
  column?: string;
}

export interface ImportListResult {
  list: ListInfo;
  replaced: boolean;
  /** Things the analyst should know (a date given but the header's used, lines not understood). */
  warnings: string[];
  rejectedSamples: { line: number; text: string }[];
}

/** `firehol_level1.netset.gz` → `firehol_level1`. */
export function defaultListName(path: string): string {
  const base = basename(path).replace(/(\.(gz|txt|netset|ipset|csv|tsv|json|jsonl|list|lst))+$/i, '');
  const cleaned = base.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return cleaned === '' ? 'list' : cleaned;
}

interface ListRow {
  id: number; name: string; path: string; sha256: string; size: number; format: string; described_at: number;
  described_at_from: ListDateSource; described_at_text: string | null; entries: number; rejected: number;
  column_name: string | null; imported_at: number; hits: number;
}

const toInfo = (r: ListRow): ListInfo => ({
  id: r.id, name: r.name, path: r.path, sha256: r.sha256, size: r.size, format: r.format, describedAt: r.described_at,
  describedAtFrom: r.described_at_from, describedAtText: r.described_at_text, entries: r.entries, rejected: r.rejected,
  column: r.column_name, importedAt: r.imported_at, hits: r.hits,
});

const LIST_SELECT = `SELECT l.*, (SELECT count(*) FROM intel_list_hits h WHERE h.list_id = l.id) AS hits FROM intel_lists l`;

export function listLists(db: Database): ListInfo[] {
  return (db.prepare(`${LIST_SELECT} ORDER BY l.name`).all() as ListRow[]).map(toInfo);
}

export function getList(db: Database, name: string): ListInfo | undefined {
  const row = db.prepare(`${LIST_SELECT} WHERE l.name = ?`).get(name) as ListRow | undefined;
  return row && toInfo(row);
}

function readListFile(path: string): { bytes: Buffer; text: string; mtime: number } {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    throw new ListImportError(`${path}: cannot read the list (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!stat.isFile()) throw new ListImportError(`${path}: not a file`);
  if (stat.size > MAX_LIST_BYTES) throw new ListImportError(`${path}: ${stat.size} bytes is more than the ${MAX_LIST_BYTES} Loupe imports as a list`);
  const bytes = readFileSync(path);
  let content = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      content = gunzipSync(bytes, { maxOutputLength: MAX_LIST_BYTES });
    } catch (err) {
      throw new ListImportError(`${path}: a .gz file that cannot be read (${(err as Error).message})`);
    }
  }
  if (content.subarray(0, 4096).includes(0)) throw new ListImportError(`${path}: looks binary, not a list of addresses`);
  return { bytes, text: content.toString('utf8'), mtime: stat.mtimeMs };
}

/** Imports a list file into the case; the case's addresses are matched against it by the caller's refresh. */
export function importList(c: CaseDb, path: string, opts: ImportListOptions = {}): ImportListResult {
  const name = opts.name ?? defaultListName(path);
  if (!NAME.test(name)) {
    throw new ListImportError(`"${name}" cannot name a list: use letters, digits, _ . - (up to 64, starting with a letter or digit)`);
  }
  const { bytes, text, mtime } = readListFile(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let parsed;
  try {
    parsed = parseList(text, { ...(opts.format ? { format: opts.format } : {}), ...(opts.column !== undefined ? { column: opts.column } : {}) });
  } catch (err) {
    throw new ListImportError(`${path}: ${(err as Error).message}`);
  }
  if (parsed.entries.length === 0) {
    throw new ListImportError(`${path}: no address or network found${parsed.rejected > 0 ? ` (${parsed.rejected} line(s) not understood)` : ''}`);
  }
  const warnings: string[] = [];
  // The header's date is the list's own word; the analyst's fills in when it says nothing.
  let date: { at: number; from: ListDateSource; text: string | null };
  if (parsed.headerDate) {
    date = { at: parsed.headerDate.ms, from: 'header', text: parsed.headerDate.text };
    if (opts.date !== undefined && opts.date !== parsed.headerDate.ms) {
      warnings.push(`the list's header dates it ${new Date(parsed.headerDate.ms).toISOString()}; that date is kept, not the one given`);
    }
  } else if (opts.date !== undefined) date = { at: opts.date, from: 'analyst', text: null };
  else {
    date = { at: Math.floor(mtime), from: 'mtime', text: null };
    warnings.push(`the list does not say what date it describes; the file's modification time ${new Date(date.at).toISOString()} is used`);
  }
  if (parsed.rejected > 0) warnings.push(`${parsed.rejected} line(s) are not an address or network and were left out`);

  const { db } = c;
  const replaced = db.transaction(() => {
    const old = db.prepare('SELECT id, name, sha256 FROM intel_lists WHERE name = ?').get(name) as { id: number; name: string; sha256: string } | undefined;
    if (old) db.prepare('DELETE FROM intel_lists WHERE id = ?').run(old.id);
    const id = Number(db.prepare(`INSERT INTO intel_lists (name, path, sha256, size, format, described_at, described_at_from,
        described_at_text, entries, rejected, column_name, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(name, path, sha256, bytes.length, parsed.format, date.at, date.from, date.text, parsed.entries.length, parsed.rejected,
        parsed.column, Date.now()).lastInsertRowid);
    const insert = db.prepare('INSERT INTO intel_list_entries (list_id, network, line, note) VALUES (?, ?, ?, ?)');
    for (const e of parsed.entries) insert.run(id, networkText(e.network), e.line, e.note);
    db.prepare('UPDATE intel_state SET lists_version = lists_version + 1 WHERE id = 1').run();
    appendAudit(db, old ? 'intel-list-replaced' : 'intel-list-imported', {
      name, path, sha256, entries: parsed.entries.length, rejected: parsed.rejected, describedAt: new Date(date.at).toISOString(),
      describedAtFrom: date.from, ...(old ? { replacedSha256: old.sha256 } : {}),
    });
    return old !== undefined;
  }).immediate();
  return { list: getList(db, name) as ListInfo, replaced, warnings, rejectedSamples: parsed.rejectedSamples };
}

/** Removes a list; false when there is none by that name. */
export function removeList(c: CaseDb, name: string): boolean {
  const { db } = c;
  return db.transaction(() => {
    const old = db.prepare('SELECT id, name, sha256 FROM intel_lists WHERE name = ?').get(name) as { id: number; name: string; sha256: string } | undefined;
    if (!old) return false;
    db.prepare('DELETE FROM intel_lists WHERE id = ?').run(old.id);
    db.prepare('UPDATE intel_state SET lists_version = lists_version + 1 WHERE id = 1').run();
    appendAudit(db, 'intel-list-removed', { name: old.name, sha256: old.sha256 });
    return true;
  }).immediate();
}

export interface LoadedList {
  id: number;
  name: string;
  networks: Network[];
}

/** Every list with its networks, for matching. */
export function loadLists(db: Database): LoadedList[] {
  const lists = db.prepare('SELECT id, name FROM intel_lists ORDER BY id').all() as { id: number; name: string }[];
  const entries = db.prepare('SELECT network FROM intel_list_entries WHERE list_id = ?').pluck();
  return lists.map((l) => ({
    ...l,
    networks: (entries.all(l.id) as string[]).flatMap((n) => {
      const net = parseNetwork(n);
      return net ? [net] : [];
    }),
  }));
}
