/**
 * Reads a rule's `detection:` section: search identifiers (maps are AND, lists are OR, plain
 * strings are keywords), the condition, and a legacy aggregation with `timeframe`.
 */
import { parseAggregation, parseCondition } from './condition.ts';
import { timespanMs } from './schema.ts';
import { RuleError, type Condition, type FieldSpec, type LegacyAggregation, type Scalar, type SearchDef } from './types.ts';

export interface ParsedDetection {
  searches: Record<string, SearchDef>;
  condition: Condition;
  conditionText: string;
  aggregation?: LegacyAggregation;
}

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseDetection(detection: unknown): ParsedDetection {
  if (!isMap(detection)) throw new RuleError('field "detection": must be a mapping of search identifiers and a condition');
  const searches: Record<string, SearchDef> = {};
  let conditionValue: unknown;
  let timeframe: unknown;
  for (const [key, value] of Object.entries(detection)) {
    if (key === 'condition') conditionValue = value;
    else if (key === 'timeframe') timeframe = value;
    else searches[key] = parseSearch(key, value);
  }
  if (Object.keys(searches).length === 0) throw new RuleError('field "detection": has no search identifiers');
  const texts = typeof conditionValue === 'string' ? [conditionValue]
    : Array.isArray(conditionValue) && conditionValue.length > 0 && conditionValue.every((c) => typeof c === 'string') ? conditionValue as string[]
      : undefined;
  if (!texts) throw new RuleError('field "detection.condition": must be a string (or a list of strings)');

  const withPipe = texts.filter((t) => t.includes('|'));
  if (withPipe.length > 0 && texts.length > 1) throw new RuleError('field "detection.condition": an aggregation (|) cannot be one of several conditions');
  const [searchPart, aggregationPart] = splitPipe(texts[0] as string);
  const conditions = (withPipe.length > 0 ? [searchPart] : texts).map((t) => {
    try {
      return parseCondition(t);
    } catch (err) {
      throw err instanceof RuleError ? new RuleError(`field "detection.condition": ${err.message}`) : err;
    }
  });
  const condition: Condition = conditions.length === 1 ? conditions[0] as Condition : { op: 'or', args: conditions };
  const conditionText = withPipe.length > 0 ? searchPart : texts.join(' or ');
  const result: ParsedDetection = { searches, condition, conditionText };
  if (aggregationPart !== undefined) {
    const agg = parseAggregation(aggregationPart);
    let span: number | null = null;
    if (timeframe !== undefined) {
      span = typeof timeframe === 'string' ? timespanMs(timeframe) ?? null : null;
      if (span === null) throw new RuleError('field "detection.timeframe": must be a number and a unit (s, m, h, d or w), e.g. 10m');
    }
    result.aggregation = { ...agg, timespanMs: span };
  } else if (timeframe !== undefined && typeof timeframe !== 'string') {
    throw new RuleError('field "detection.timeframe": must be a string such as 10m');
  }
  return result;
}

function splitPipe(text: string): [string, string | undefined] {
  const i = text.indexOf('|');
  return i < 0 ? [text, undefined] : [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}

function parseSearch(name: string, value: unknown): SearchDef {
  const where = `detection.${name}`;
  if (isMap(value)) return [parseMap(where, value)];
  if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleError(`field "${where}": is an empty list`);
    // A list of plain values is one keyword entry (its values OR'ed); maps in a list are alternatives.
    if (value.every(isScalar)) return [[keywords(where, value)]];
    return value.map((item, i) => {
      if (isMap(item)) return parseMap(`${where}[${i}]`, item);
      if (isScalar(item)) return [keywords(`${where}[${i}]`, [item])];
      throw new RuleError(`field "${where}[${i}]": a list inside a list is not Sigma`);
    });
  }
  if (typeof value === 'string' || typeof value === 'number') return [[keywords(where, [value])]];
  throw new RuleError(`field "${where}": must be a mapping, a list or a keyword`);
}

function keywords(where: string, values: Scalar[]): FieldSpec {
  if (values.some((v) => v === null)) throw new RuleError(`field "${where}": null is not a keyword`);
  return { field: null, modifiers: [], values };
}

function parseMap(where: string, map: Record<string, unknown>): FieldSpec[] {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new RuleError(`field "${where}": is an empty mapping`);
  return entries.map(([key, value]) => {
    const [field, ...modifiers] = key.split('|');
    let values: Scalar[];
    if (isScalar(value)) values = [value];
    else if (Array.isArray(value) && value.every(isScalar)) values = value;
    else throw new RuleError(`field "${where}.${key}": values must be plain values or a list of them`);
    return { field: field === '' ? null : (field as string), modifiers, values };
  });
}
