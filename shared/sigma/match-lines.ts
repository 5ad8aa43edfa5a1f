/**
 * Runs rules over a few raw log lines, the way a case would: each line is parsed with the named
 * format, then matched, then correlated. Rule test lines (`x-loupe-tests`) are checked with it.
 */
import type { StoredEvent } from '../event.ts';
import { formatById } from '../parse/registry.ts';
import { CorrelationEngine, type BaseMatch } from './engine.ts';
import { EventCache, type IpListLookup } from './event-cache.ts';
import { buildRuleSet, type RuleSet } from './ruleset.ts';
import { RuleError, type Rule } from './types.ts';

export interface LinesResult {
  /** The lines as events: `id` is the line's index + 1; lines the parser did not understand have dataset `unparsed`. */
  events: StoredEvent[];
  /** Per rule id: 0-based indexes of the lines a detection rule matched, or that a correlation's alerts link. */
  matches: Record<string, number[]>;
  /** Per rule id: how often it fired (matching lines for a detection rule, episodes for a correlation). */
  fired: Record<string, number>;
}

/**
 * Parses `lines` with the format `format` (a `formatById` id) and runs the rules over them.
 * `rules` may be one rule, several (a correlation needs the rules it names), or a built rule set.
 * A detection rule reports every line it matches, whether or not it raises alerts of its own; a
 * correlation rule treats the lines as one sequence (in time order) and reports the lines of the
 * episodes it fired on. `ipLists` says which imported lists an address is on (for `iplist`).
 * Throws when the format is unknown or a given rule cannot run.
 */
export function matchLines(
  rules: Rule | readonly Rule[] | RuleSet, format: string, lines: readonly string[], opts: { ipLists?: IpListLookup } = {},
): LinesResult {
  let set: RuleSet;
  if ('detections' in rules) set = rules;
  else {
    set = buildRuleSet(Array.isArray(rules) ? rules : [rules as Rule]);
    const broken = set.report.find((r) => r.status === 'skipped');
    if (broken) throw new RuleError(`rule ${broken.id ?? broken.title ?? '?'} cannot run: ${broken.reason ?? ''}`);
  }
  const fmt = formatById(format);
  if (!fmt) throw new RuleError(`unknown format "${format}"`);
  // Test lines without a year (syslog) all land in one year, whatever day the tests run: the
  // reference is the last moment of the current year, so no line is pushed into the previous one.
  const referenceTime = Date.UTC(new Date().getUTCFullYear(), 11, 31, 23, 59, 59);
  const parser = fmt.create({ timezone: 'UTC', referenceTime });
  const events: StoredEvent[] = lines.map((raw, i) => {
    const parsed = parser.parse(raw) ?? { ts: null, dataset: 'unparsed' };
    return { ...parsed, id: i + 1, sourceId: 0, lineNo: i + 1, offset: 0, raw, flags: parsed.flags ?? 0 };
  });

  const matches: Record<string, number[]> = {};
  const fired: Record<string, number> = {};
  const engine = new CorrelationEngine(set);
  const base: BaseMatch[] = [];
  for (const d of set.detections) {
    for (const event of events) {
      const why = d.match(event, new EventCache(event, opts.ipLists));
      if (!why) continue;
      (matches[d.rule.id] ??= []).push(event.id - 1);
      fired[d.rule.id] = (fired[d.rule.id] ?? 0) + 1;
      if (engine.wants(d)) base.push({ detection: d, event, why });
    }
  }
  base.sort((a, b) => (a.event.ts ?? 0) - (b.event.ts ?? 0) || a.event.id - b.event.id);
  for (const m of base) engine.feed(m);
  const episodes = new Map<string, Set<string>>();
  for (const { correlation, hit } of engine.finish()) {
    const id = correlation.rule.id;
    const lineSet = new Set([...(matches[id] ?? []), ...hit.eventIds.map((e) => e - 1)]);
    matches[id] = [...lineSet].sort((a, b) => a - b);
    const seen = episodes.get(id) ?? new Set<string>();
    seen.add(hit.episode);
    episodes.set(id, seen);
    fired[id] = seen.size;
  }
  return { events, matches, fired };
}
