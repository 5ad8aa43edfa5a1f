/**
 * Checkpoints a case's write-ahead log from a thread other than the writer's. SQLite's automatic
 * checkpoint runs inside the writer's commit: copying the log into the database and syncing it
 * blocked the listener's thread for tens of milliseconds every few batches (sockets unread
 * meanwhile), and its wall time per message was half again its CPU time (measured on 300,000
 * messages). The writer turns its automatic checkpoint off; this connection checkpoints PASSIVE
 * (never waiting for the writer, never blocking it) every `intervalMs`.
 */
import Database from 'better-sqlite3';

export class WalCheckpointer {
  private readonly db: Database.Database;
  private readonly timer: NodeJS.Timeout;

  constructor(casePath: string, intervalMs = 200) {
    this.db = new Database(casePath, { fileMustExist: true });
    this.timer = setInterval(() => this.checkpoint(), intervalMs);
    this.timer.unref();
  }

  checkpoint(): void {
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next tick tries again, and closing the writer's connection checkpoints.
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.db.close();
  }
}
