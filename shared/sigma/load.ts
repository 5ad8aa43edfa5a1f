/**
 * Reads the YAML text of a rule file (one or many documents) into rules. A document that cannot
 * be read becomes a skipped entry naming the document and the field; nothing is dropped silently.
 */
import { LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { formatById } from '../parse/registry.ts';
import { parseDetection } from './detection.ts';
import { correlationSchema, describeZodError, logsourceSchema, metaSchema, timespanMs } from './schema.ts';
import { RuleError, type CorrelationRule, type CountCondition, type DetectionRule, type Origin, type Rule, type RuleMeta, type RuleReportEntry } from './types.ts';

export interface LoadedText {
  rules: Rule[];
  skipped: RuleReportEntry[];
}

export function loadRuleText(text: string, file: string): LoadedText {
  const rules: Rule[] = [];
  const skipped: RuleReportEntry[] = [];
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    skipped.push({ id: null, title: null, file, document: 1, kind: null, status: 'skipped', reason: 'YAML: not a YAML stream' });
  }
  list.forEach((doc, i) => {
    const origin: Origin = { file, document: i + 1 };
    const skip = (reason: string, value?: unknown): void => {
      const meta = isMap(value) ? value : {};
      skipped.push({
        id: typeof meta['id'] === 'string' ? meta['id'] : null,
        title: typeof meta['title'] === 'string' ? meta['title'] : null,
        file, document: origin.document,
        kind: 'correlation' in meta ? 'correlation' : 'detection' in meta ? 'detection' : null,
        status: 'skipped', reason,
      });
    };
    const error = doc.errors[0];
    if (error) {
      const pos = error.linePos?.[0];
      const message = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      skip(`YAML error${pos ? ` at line ${pos.line}, column ${pos.col}` : ''}: ${message}`);
      return;
    }
    let value: unknown;
    try {
      // The alias cap refuses "billion laughs" documents instead of expanding them.
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      skip(`YAML: ${(err as Error).message}`);
      return;
    }
    if (value === null || value === undefined) return;
    try {
      rules.push(toRule(value, origin));
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      skip(err.message, value);
    }
  });
  return { rules, skipped };
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parse<T extends z.ZodType>(schema: T, value: unknown, prefix = ''): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new RuleError(describeZodError(r.error, prefix));
  return r.data;
}

function toRule(value: unknown, origin: Origin): Rule {
  if (!isMap(value)) throw new RuleError('the document is not a mapping');
  if ('action' in value) throw new RuleError(`Sigma 1 rule collections (action: ${String(value['action'])}) are not supported; write each rule in full`);
  const meta = readMeta(value, origin);
  if ('correlation' in value) return toCorrelation(value, meta);
  if ('filter' in value && !('detection' in value)) throw new RuleError('Sigma filter documents are not supported');
  if (!('detection' in value)) throw new RuleError('the document has neither "detection" nor "correlation"');
  if (!('logsource' in value)) throw new RuleError('field "logsource": is required');
  const logsource = parse(logsourceSchema, value['logsource'], 'logsource');
  const detection = parseDetection(value['detection']);
  const rule: DetectionRule = {
    kind: 'detection', ...meta,
    logsource: {
      ...(logsource.product !== undefined ? { product: logsource.product } : {}),
      ...(logsource.category !== undefined ? { category: logsource.category } : {}),
      ...(logsource.service !== undefined ? { service: logsource.service } : {}),
    },
    searches: detection.searches, condition: detection.condition, conditionText: detection.conditionText,
  };
  if (detection.aggregation) rule.aggregation = detection.aggregation;
  return rule;
}

function readMeta(value: Record<string, unknown>, origin: Origin): RuleMeta {
  const m = parse(metaSchema, value);
  const status = m.status?.toLowerCase();
  if (status === 'deprecated' || status === 'unsupported') {
    throw new RuleError(`status ${status}: the rule's authors mark it as not to be run`);
  }
  const tests = m['x-loupe-tests'];
  if (tests && !formatById(tests.format)) throw new RuleError(`field "x-loupe-tests.format": unknown format "${tests.format}"`);
  const meta: RuleMeta = {
    // Sigma makes the id optional; alerts need a stable key, and the name or title is the best left.
    id: m.id ?? m.name ?? m.title,
    title: m.title,
    level: m.level ?? 'medium',
    tags: m.tags ?? [], references: m.references ?? [], falsepositives: m.falsepositives ?? [],
    origin,
  };
  if (m.level === undefined) meta.levelDefaulted = true;
  if (m.name !== undefined) meta.name = m.name;
  if (m.status !== undefined) meta.status = m.status;
  if (m.description !== undefined) meta.description = m.description;
  if (m.author !== undefined) meta.author = m.author;
  if (m.date !== undefined) meta.date = m.date;
  if (m.modified !== undefined) meta.modified = m.modified;
  if (tests) meta.tests = tests;
  return meta;
}

function toCorrelation(value: Record<string, unknown>, meta: RuleMeta): CorrelationRule {
  const c = parse(correlationSchema, value['correlation'], 'correlation');
  const topGenerate = value['generate'];
  if (topGenerate !== undefined && typeof topGenerate !== 'boolean') throw new RuleError('field "generate": must be true or false');
  const { field, ...given } = c.condition ?? {};
  const bounds: CountCondition = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
  const temporal = c.type === 'temporal' || c.type === 'temporal_ordered';
  if (!temporal && Object.keys(bounds).length === 0) throw new RuleError(`field "correlation.condition": ${c.type} needs a bound such as gte: 10`);
  if (c.type === 'value_count' && field === undefined) throw new RuleError('field "correlation.condition.field": value_count needs the field whose values are counted');
  if (c.type !== 'value_count' && field !== undefined) throw new RuleError(`field "correlation.condition.field": only value_count counts a field, not ${c.type}`);
  const rule: CorrelationRule = {
    kind: 'correlation', ...meta,
    type: c.type,
    rules: c.rules,
    groupBy: c['group-by'] ?? [],
    timespanMs: timespanMs(c.timespan) as number,
    condition: Object.keys(bounds).length > 0 ? bounds : { gte: c.rules.length },
    aliases: c.aliases ?? {},
    generate: c.generate ?? (topGenerate as boolean | undefined) ?? false,
  };
  if (field !== undefined) rule.field = field;
  if (c.type === 'temporal_ordered' && !sameBounds(rule.condition, { gte: c.rules.length })) {
    throw new RuleError(`field "correlation.condition": temporal_ordered needs all ${c.rules.length} rules in order; other counts are not supported`);
  }
  return rule;
}

function sameBounds(a: object, b: object): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || JSON.stringify(a) === JSON.stringify({ eq: (b as { gte: number }).gte });
}
