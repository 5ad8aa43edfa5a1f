import type { Statement } from 'better-sqlite3';
import type { CompiledDetection } from '../../shared/sigma/compile.ts';
import type { IpListLookup } from '../../shared/sigma/event-cache.ts';
import type { CaseDb } from '../engine/case-db.ts';
import { prepareIpLists, usesIpLists } from './run.ts';

/**
 * The imported lists, for the `iplist` rules of a live feed: prepared as a run prepares them, and
 * prepared again when a list is imported, replaced or removed while listening (by the window, the
 * CLI or another process: `intel_state.lists_version` moves). `lookup` stays the same function,
 * so the matcher built on it sees the new lists from its next row on.
 */
export class LiveIpLists {
  readonly lookup: IpListLookup = (ip) => this.current?.(ip) ?? [];
  private current: IpListLookup | undefined;
  private version: number;
  private readonly wanted: boolean;
  private readonly c: CaseDb;
  private readonly detections: readonly CompiledDetection[];
  private readonly readVersion: Statement;

  constructor(c: CaseDb, detections: readonly CompiledDetection[]) {
    this.c = c;
    this.detections = detections;
    this.wanted = detections.some(usesIpLists);
    this.readVersion = c.db.prepare('SELECT lists_version FROM intel_state WHERE id = 1').pluck();
    this.version = this.listsVersion();
    this.current = prepareIpLists(c, detections);
  }

  /** Reads the lists again when they changed (a one-row read otherwise); true when they did. */
  refresh(): boolean {
    if (!this.wanted) return false;
    const version = this.listsVersion();
    if (version === this.version) return false;
    // The version is taken only once the lists are read: a failure (the case busy) is tried again next time.
    this.current = prepareIpLists(this.c, this.detections);
    this.version = version;
    return true;
  }

  private listsVersion(): number {
    return (this.readVersion.get() as number | undefined) ?? 0;
  }
}
