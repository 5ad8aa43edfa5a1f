/**
 * A set of rules ready to run: detection rules compiled, correlation rules linked to the rules
 * they name (by id or name, chains allowed, cycles refused), group-by fields resolved in each
 * correlated rule's log source, and a report line for every rule document.
 */
import { compileDetection, type CompiledDetection } from './compile.ts';
import type { Column, FieldRef } from './fields.ts';
import { levelRank, RuleError, type CorrelationRule, type DetectionRule, type Rule, type RuleReportEntry } from './types.ts';

export type EntityType = 'ip' | 'user' | 'host';

export type SlotSource =
  | { kind: 'detection'; detection: CompiledDetection; group: FieldRef[]; value?: FieldRef }
  | { kind: 'correlation'; correlation: CompiledCorrelation; group: number[]; value?: number };

export interface CompiledCorrelation {
  rule: CorrelationRule;
  /** Per entry of `rule.rules`: where its matches come from and how to read their group. */
  slots: SlotSource[];
  /** The group-by position that names the alert's entity, if one does. */
  entity?: { index: number; type: EntityType };
  /** True for the correlation a legacy `| count() … > N` rule runs as. */
  legacy: boolean;
}

export interface RuleSet {
  detections: CompiledDetection[];
  /** Correlations, each after those it builds on. */
  correlations: CompiledCorrelation[];
  /** Rules (detection ids, correlation ids) whose matches raise alerts of their own. */
  alerting: Set<string>;
  report: RuleReportEntry[];
}

const ENTITY_COLUMNS: Partial<Record<Column, EntityType>> = { srcIp: 'ip', dstIp: 'ip', user: 'user', host: 'host' };

interface Pending {
  rule: Rule;
  report: RuleReportEntry;
}

export function buildRuleSet(rules: readonly Rule[], skipped: readonly RuleReportEntry[] = []): RuleSet {
  const report: RuleReportEntry[] = [...skipped];
  const byId = new Map<string, Pending>();
  const detections = new Map<string, CompiledDetection>();
  const correlationRules: CorrelationRule[] = [];
  const legacy = new Set<string>();
  const internal = new Set<string>();

  for (const rule of rules) {
    const entry: RuleReportEntry = {
      id: rule.id, title: rule.title, file: rule.origin.file, document: rule.origin.document, kind: rule.kind, status: 'loaded',
    };
    report.push(entry);
    const skip = (reason: string): void => {
      entry.status = 'skipped';
      entry.reason = reason;
    };
    const first = byId.get(rule.id);
    if (first) {
      skip(`duplicate id "${rule.id}" (already loaded from ${first.rule.origin.file}, document ${first.rule.origin.document})`);
      continue;
    }
    if (rule.kind === 'correlation') {
      byId.set(rule.id, { rule, report: entry });
      correlationRules.push(rule);
      continue;
    }
    try {
      if (rule.aggregation) {
        // The search part runs as a hidden detection; the rule itself is the correlation over it.
        const search: DetectionRule = { ...rule, id: `${rule.id}#search`, name: `${rule.id}#search` };
        delete search.aggregation;
        detections.set(search.id, compileDetection(search));
        internal.add(search.id);
        byId.set(search.id, { rule: search, report: entry });
        const agg = rule.aggregation;
        const corr: CorrelationRule = {
          ...rule, kind: 'correlation', type: agg.field === null ? 'event_count' : 'value_count', rules: [search.id],
          groupBy: agg.groupBy, timespanMs: agg.timespanMs ?? Number.POSITIVE_INFINITY, condition: agg.condition,
          aliases: {}, generate: false,
          ...(agg.field !== null ? { field: agg.field } : {}),
        };
        legacy.add(rule.id);
        byId.set(rule.id, { rule: corr, report: entry });
        correlationRules.push(corr);
        entry.note = `legacy aggregation, run as a ${corr.type} correlation`;
      } else {
        detections.set(rule.id, compileDetection(rule));
        byId.set(rule.id, { rule, report: entry });
      }
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      skip(err.message);
    }
  }

  const linked = new Map<string, CompiledCorrelation>();
  const failed = new Map<string, string>();
  const resolving = new Set<string>();

  const resolveRef = (ref: string, from: CorrelationRule): Pending | string => {
    const hit = byId.get(ref);
    if (hit) return hit;
    const named = [...byId.values()].filter((p) => p.rule.name === ref);
    const local = named.filter((p) => p.rule.origin.file === from.origin.file);
    const pick = local.length === 1 ? local : named;
    if (pick.length === 1) return pick[0] as Pending;
    if (pick.length > 1) return `rule name "${ref}" is ambiguous (${pick.length} rules have it)`;
    const gone = report.find((r) => r.status === 'skipped' && r.id === ref);
    return gone ? `refers to "${ref}", which was skipped (${gone.reason})` : `refers to "${ref}", which is not loaded (no rule has that id or name)`;
  };

  const link = (rule: CorrelationRule): CompiledCorrelation | string => {
    const done = linked.get(rule.id) ?? failed.get(rule.id);
    if (done !== undefined) return done;
    if (resolving.has(rule.id)) return `correlation cycle through "${rule.id}"`;
    resolving.add(rule.id);
    const result = linkOne(rule, resolveRef, link, detections, legacy.has(rule.id));
    resolving.delete(rule.id);
    if (typeof result === 'string') failed.set(rule.id, result);
    else linked.set(rule.id, result);
    return result;
  };

  const order: CompiledCorrelation[] = [];
  const visit = (c: CompiledCorrelation): void => {
    if (order.includes(c)) return;
    for (const s of c.slots) if (s.kind === 'correlation') visit(s.correlation);
    order.push(c);
  };
  for (const rule of correlationRules) {
    const r = link(rule);
    const pending = byId.get(rule.id) as Pending;
    if (typeof r === 'string') {
      pending.report.status = 'skipped';
      pending.report.reason = r;
      const inner = detections.get(`${rule.id}#search`);
      if (inner) detections.delete(inner.rule.id);
    } else visit(r);
  }

  const alerting = alertingRules(detections, order, internal);
  for (const entry of report) {
    if (entry.status !== 'loaded' || entry.id === null || alerting.has(entry.id)) continue;
    const users = order.filter((c) => c.slots.some((s) => (s.kind === 'detection' ? s.detection.rule.id : s.correlation.rule.id) === entry.id));
    entry.note = `no alerts of its own: it feeds ${users.map((c) => `"${c.rule.title}"`).join(', ')} (generate: false)`;
  }
  report.sort((a, b) => a.file.localeCompare(b.file) || a.document - b.document);
  return { detections: [...detections.values()], correlations: order, alerting, report };
}

function linkOne(
  rule: CorrelationRule,
  resolveRef: (ref: string, from: CorrelationRule) => Pending | string,
  link: (rule: CorrelationRule) => CompiledCorrelation | string,
  detections: Map<string, CompiledDetection>,
  legacy: boolean,
): CompiledCorrelation | string {
  const slots: SlotSource[] = [];
  const entityVotes = new Map<number, EntityType>();
  for (const ref of rule.rules) {
    const target = resolveRef(ref, rule);
    if (typeof target === 'string') return target;
    const aliasFor = (name: string): string => {
      const alias = rule.aliases[name];
      return alias === undefined ? name : alias[ref] ?? alias[target.rule.name ?? ''] ?? alias[target.rule.id] ?? name;
    };
    if (target.rule.kind === 'correlation') {
      const upstream = link(target.rule);
      if (typeof upstream === 'string') return `refers to "${ref}", which cannot run (${upstream})`;
      const index = (name: string): number | string => {
        const i = upstream.rule.groupBy.indexOf(aliasFor(name));
        return i >= 0 ? i : `"${name}" is not a group-by field of the correlation "${ref}" it builds on`;
      };
      const group = rule.groupBy.map(index);
      const bad = group.find((g) => typeof g === 'string');
      if (bad !== undefined) return bad as string;
      const slot: SlotSource = { kind: 'correlation', correlation: upstream, group: group as number[] };
      if (rule.field !== undefined) {
        const v = index(rule.field);
        if (typeof v === 'string') return v;
        slot.value = v;
      }
      (group as number[]).forEach((g, i) => {
        if (upstream.entity?.index === g) entityVotes.set(i, upstream.entity.type);
      });
      slots.push(slot);
      continue;
    }
    const detection = detections.get(target.rule.id);
    if (!detection) return `refers to "${ref}", which cannot run`;
    const resolve = (name: string): FieldRef | string => {
      const r = detection.fields.field(aliasFor(name));
      return 'error' in r ? `group-by "${name}" in "${ref}": ${r.error}` : r;
    };
    const group = rule.groupBy.map(resolve);
    const bad = group.find((g) => typeof g === 'string');
    if (bad !== undefined) return bad as string;
    const slot: SlotSource = { kind: 'detection', detection, group: group as FieldRef[] };
    if (rule.field !== undefined) {
      const v = resolve(rule.field);
      if (typeof v === 'string') return v.replace('group-by', 'condition.field');
      slot.value = v;
    }
    (group as FieldRef[]).forEach((g, i) => {
      const type = g.column === undefined ? undefined : ENTITY_COLUMNS[g.column];
      if (type !== undefined && g.part === undefined) entityVotes.set(i, type);
    });
    slots.push(slot);
  }
  // A correlation without a level takes the highest level of the rules it correlates.
  const levels = slots.map((s) => (s.kind === 'detection' ? s.detection.rule.level : s.correlation.rule.level));
  const effective = rule.levelDefaulted ? { ...rule, level: levels.reduce((a, b) => (levelRank(b) > levelRank(a) ? b : a), rule.level) } : rule;
  const compiled: CompiledCorrelation = { rule: effective, slots, legacy };
  const first = [...entityVotes.entries()].sort((a, b) => a[0] - b[0])[0];
  if (first) compiled.entity = { index: first[0], type: first[1] };
  return compiled;
}

/**
 * Sigma's `generate`: rules a correlation uses raise no alerts of their own unless a correlation
 * using them says `generate: true`. Rules no correlation uses always do.
 */
function alertingRules(detections: Map<string, CompiledDetection>, correlations: CompiledCorrelation[], internal: Set<string>): Set<string> {
  const used = new Map<string, boolean>();
  for (const c of correlations) {
    for (const s of c.slots) {
      const id = s.kind === 'detection' ? s.detection.rule.id : s.correlation.rule.id;
      used.set(id, (used.get(id) ?? false) || c.rule.generate);
    }
  }
  const alerting = new Set<string>();
  for (const id of [...detections.keys(), ...correlations.map((c) => c.rule.id)]) {
    if (internal.has(id)) continue;
    if (used.get(id) ?? true) alerting.add(id);
  }
  return alerting;
}
