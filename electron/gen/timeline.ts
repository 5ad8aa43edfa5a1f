import { join } from 'node:path';
import type { ActorBook } from './actors.ts';
import { apacheStamp, StampCache, syslogStamp, type RateCurve } from './clock.ts';
import type { Rng } from './prng.ts';
import type { LogFileName } from './types.ts';
import { ChunkWriter } from './writer.ts';

/** One output file: its name, how its lines start, and exactly how many lines it gets. */
export interface Sink {
  name: LogFileName;
  /** `apache`: `head[stamp] tail`; `syslog`: `stamp tail`. */
  style: 'apache' | 'syslog';
  target: number;
}

interface Entry {
  ts: number;
  seq: number;
  file: number;
  actor: number;
  head: string;
  tail: string;
}

/**
 * Produces the benign traffic of one file, an episode (a visit, a login, a timer run) at a time.
 * Episodes are requested in time order and spaced so that the file's budget runs out at `end`.
 */
export interface Driver {
  readonly file: number;
  readonly curve: RateCurve;
  /** Typical lines per episode: how far apart episode starts may wander. */
  readonly meanLines: number;
  readonly rng: Rng;
  /** Emits an episode starting at `t` with at most `remaining` lines; returns how many it emitted. */
  episode(t: number, remaining: number): number;
}

function before(a: Entry, b: Entry): boolean {
  return a.ts < b.ts || (a.ts === b.ts && a.seq < b.seq);
}

/** A binary min-heap on (ts, seq): lines come out in time order, ties in emission order. */
class EntryHeap {
  private readonly items: Entry[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Entry | undefined {
    return this.items[0];
  }

  push(entry: Entry): void {
    const items = this.items;
    let i = items.length;
    items.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent] as Entry;
      if (!before(entry, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = entry;
  }

  pop(): Entry | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && before(items[right] as Entry, items[left] as Entry)) child = right;
      const c = items[child] as Entry;
      if (!before(c, last)) break;
      items[i] = c;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

interface DriverState {
  driver: Driver;
  budget: number;
  consumed: number;
  t: number;
}

/**
 * Merges planned lines (attacks, periodic jobs: emitted up front) with benign episodes produced on
 * the way, and writes every file in time order. A line is final once no episode can start before
 * it, so memory holds only the lines still ahead of the clock.
 */
export class Timeline {
  readonly start: number;
  readonly end: number;
  readonly sinks: readonly Sink[];
  private readonly book: ActorBook;
  private readonly heap = new EntryHeap();
  private readonly planned: number[];
  private readonly written: number[];
  private seq = 0;
  private running = false;

  constructor(sinks: readonly Sink[], book: ActorBook, start: number, end: number) {
    this.sinks = sinks;
    this.book = book;
    this.start = start;
    this.end = end;
    this.planned = sinks.map(() => 0);
    this.written = sinks.map(() => 0);
  }

  fileIndex(name: LogFileName): number {
    const i = this.sinks.findIndex((s) => s.name === name);
    if (i < 0) throw new Error(`scenario has no ${name}`);
    return i;
  }

  /** Queues a line; false (and nothing queued) when `ts` falls outside the covered period. */
  emit(ts: number, file: number, actor: number, head: string, tail: string): boolean {
    if (!(ts >= this.start && ts < this.end)) return false;
    this.heap.push({ ts, seq: this.seq++, file, actor, head, tail });
    if (!this.running) (this.planned[file] as number)++;
    return true;
  }

  /** Lines emitted before `run` (attacks, periodic jobs) for a file. */
  plannedLines(file: number): number {
    return this.planned[file] ?? 0;
  }

  async run(outDir: string, drivers: readonly Driver[]): Promise<number[]> {
    this.running = true;
    const states: DriverState[] = drivers.map((driver) => {
      const budget = (this.sinks[driver.file] as Sink).target - (this.planned[driver.file] as number);
      if (budget < 0) throw new Error(`planned lines exceed the budget of ${this.sinks[driver.file]?.name}`);
      const state: DriverState = { driver, budget, consumed: 0, t: this.start };
      state.t = this.nextStart(state);
      return state;
    });
    const writers = this.sinks.map((s) => new ChunkWriter(join(outDir, s.name)));
    const stamps = this.sinks.map((s) => new StampCache(s.style === 'apache' ? apacheStamp : syslogStamp));
    try {
      for (;;) {
        let next: DriverState | undefined;
        for (const s of states) {
          if (s.consumed < s.budget && (next === undefined || s.t < next.t)) next = s;
        }
        if (next === undefined) break;
        await this.drain(next.t, writers, stamps);
        // An episode that starts right at the period's end can fall wholly outside it; draw again.
        let emitted = 0;
        for (let attempt = 0; attempt < 50 && emitted <= 0; attempt++) emitted = next.driver.episode(next.t, next.budget - next.consumed);
        if (emitted <= 0) throw new Error(`an episode of ${this.sinks[next.driver.file]?.name} emitted nothing at ${new Date(next.t).toISOString()} (period ${new Date(this.start).toISOString()}..${new Date(this.end).toISOString()}, ${next.budget - next.consumed} lines left)`);
        next.consumed += emitted;
        next.t = this.nextStart(next);
      }
      await this.drain(Number.POSITIVE_INFINITY, writers, stamps);
      await Promise.all(writers.map((w) => w.close()));
    } catch (error) {
      for (const w of writers) w.destroy();
      throw error;
    }
    this.sinks.forEach((s, i) => {
      if (this.written[i] !== s.target) {
        throw new Error(`${s.name}: wrote ${this.written[i]} lines, planned ${s.target}`);
      }
    });
    return this.written.slice();
  }

  /** Episode starts follow the file's rhythm, wandering by about one episode so gaps look natural. */
  private nextStart(s: DriverState): number {
    const { driver } = s;
    const wobble = (driver.rng.next() - 0.5) * 2 * driver.meanLines;
    const u = Math.min(1 - 1e-9, Math.max(0, s.consumed + wobble) / s.budget);
    const t = Math.max(s.t, driver.curve.at(u));
    return Math.min(t, this.end - 1);
  }

  private async drain(limit: number, writers: ChunkWriter[], stamps: StampCache[]): Promise<void> {
    const heap = this.heap;
    for (;;) {
      const top = heap.peek();
      if (top === undefined || top.ts > limit) return;
      heap.pop();
      const file = top.file;
      const stamp = (stamps[file] as StampCache).get(top.ts);
      const line = (this.sinks[file] as Sink).style === 'apache'
        ? `${top.head}[${stamp}] ${top.tail}`
        : `${stamp} ${top.tail}`;
      const lineNo = ++(this.written[file] as number);
      this.book.record(top.actor, file, lineNo, top.ts);
      if ((writers[file] as ChunkWriter).push(line)) await (writers[file] as ChunkWriter).flush();
    }
  }
}
