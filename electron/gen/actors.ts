import { isoSecond } from './clock.ts';
import type { ActorKind, Category, GroundTruthActor, LogFileName } from './types.ts';

export interface ActorSpec {
  id: string;
  ip: string | null;
  kind: ActorKind;
  category: Category;
  users?: string[];
  userAgent?: string;
  description: string;
}

interface ActorStats {
  spec: ActorSpec;
  lines: number;
  first: number;
  last: number;
  perFile: number[];
  lineNumbers: number[][] | null;
}

/** Every actor of a scenario and what it wrote, counted as lines are written. */
export class ActorBook {
  private readonly actors: ActorStats[] = [];
  private readonly ids = new Set<string>();
  private readonly files: readonly LogFileName[];

  constructor(files: readonly LogFileName[]) {
    this.files = files;
  }

  /** Registers an actor and returns the handle lines are attributed with. */
  add(spec: ActorSpec): number {
    if (this.ids.has(spec.id)) throw new Error(`duplicate actor id ${spec.id}`);
    this.ids.add(spec.id);
    this.actors.push({
      spec,
      lines: 0,
      first: Number.POSITIVE_INFINITY,
      last: Number.NEGATIVE_INFINITY,
      perFile: this.files.map(() => 0),
      lineNumbers: spec.kind === 'attacker' ? this.files.map(() => []) : null,
    });
    return this.actors.length - 1;
  }

  spec(actor: number): ActorSpec {
    const stats = this.actors[actor];
    if (!stats) throw new RangeError(`no actor ${actor}`);
    return stats.spec;
  }

  record(actor: number, file: number, lineNo: number, ts: number): void {
    const stats = this.actors[actor] as ActorStats;
    stats.lines++;
    if (ts < stats.first) stats.first = ts;
    if (ts > stats.last) stats.last = ts;
    (stats.perFile[file] as number)++;
    stats.lineNumbers?.[file]?.push(lineNo);
  }

  /** Actors that wrote at least one line, in registration order. */
  toGroundTruth(): GroundTruthActor[] {
    const out: GroundTruthActor[] = [];
    for (const stats of this.actors) {
      if (stats.lines === 0) continue;
      const { spec } = stats;
      const files: Partial<Record<LogFileName, number>> = {};
      let main = 0;
      stats.perFile.forEach((count, i) => {
        const name = this.files[i] as LogFileName;
        if (count > 0) files[name] = count;
        if (count > (stats.perFile[main] as number)) main = i;
      });
      const actor: GroundTruthActor = {
        id: spec.id,
        ip: spec.ip,
        kind: spec.kind,
        category: spec.category,
        ...(spec.users ? { users: spec.users } : {}),
        ...(spec.userAgent === undefined ? {} : { userAgent: spec.userAgent }),
        file: this.files[main] as LogFileName,
        files,
        lines: stats.lines,
        first: isoSecond(stats.first),
        last: isoSecond(stats.last),
        description: spec.description,
      };
      if (stats.lineNumbers) {
        const numbers: Partial<Record<LogFileName, number[]>> = {};
        stats.lineNumbers.forEach((list, i) => {
          if (list.length > 0) numbers[this.files[i] as LogFileName] = list;
        });
        actor.lineNumbers = numbers;
      }
      out.push(actor);
    }
    return out;
  }
}
