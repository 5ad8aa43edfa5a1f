import type { Database } from 'better-sqlite3';
import { userInfo } from 'node:os';

let actor: string | undefined;
function currentActor(): string {
  if (actor === undefined) {
    try {
      actor = userInfo().username;
    } catch {
      actor = 'unknown';
    }
  }
  return actor;
}

/** Appends one entry to the case's append-only audit log. */
export function appendAudit(db: Database, action: string, detail: Record<string, unknown>): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)')
    .run(Date.now(), currentActor(), action, JSON.stringify(detail));
}

export interface AuditEntry {
  at: number;
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export function readAudit(db: Database): AuditEntry[] {
  return (db.prepare('SELECT at, actor, action, detail FROM audit_log ORDER BY id').all() as
    { at: number; actor: string; action: string; detail: string }[])
    .map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
