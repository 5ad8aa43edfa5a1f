/**
 * Sigma rules as Loupe loads them (Sigma specification 2.x, https://sigmahq.io/docs/basics/rules.html,
 * correlation rules https://sigmahq.io/docs/meta/correlations.html). Everything here is plain data;
 * `load.ts` builds it from YAML, `compile.ts` turns it into matchers, the runner into SQL.
 */

export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
}

/** Where a rule came from: the file and the 1-based YAML document in it. */
export interface Origin {
  file: string;
  document: number;
}

export type Scalar = string | number | boolean | null;

/** One `field|mod1|mod2: values` entry of a search identifier. `field` null: keywords (the whole line). */
export interface FieldSpec {
  field: string | null;
  modifiers: string[];
  values: Scalar[];
}

/**
 * A search identifier: alternatives (OR), each a list of entries that must all hold (AND).
 * A map is one alternative; a list of maps is several; a keyword list is one entry with field null.
 */
export type SearchDef = FieldSpec[][];

export type Condition =
  | { op: 'and' | 'or'; args: Condition[] }
  | { op: 'not'; arg: Condition }
  | { op: 'ref'; name: string }
  /** `1 of sel*`, `all of them`: at least `count` of the identifiers (null: all). Pattern null means `them`. */
  | { op: 'of'; count: number | null; pattern: string | null };

/** The metadata every rule carries, detection or correlation. */
export interface RuleMeta {
  id: string;
  /** Sigma 2 `name`: how correlation rules refer to it (besides the id). */
  name?: string;
  title: string;
  status?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  level: Level;
  /** True when the rule gave no level (the default `medium` was used). */
  levelDefaulted?: boolean;
  tags: string[];
  references: string[];
  falsepositives: string[];
  origin: Origin;
  /** Loupe's own test lines, from `x-loupe-tests`. */
  tests?: RuleTests;
}

export interface DetectionRule extends RuleMeta {
  kind: 'detection';
  logsource: LogSource;
  searches: Record<string, SearchDef>;
  condition: Condition;
  /** The condition as written (without a legacy aggregation), for explanations. */
  conditionText: string;
  /** Legacy `| count(field) by field > N` with `timeframe`; run as a correlation over the search. */
  aggregation?: LegacyAggregation;
}

export interface LegacyAggregation {
  /** Field counted distinctly (`count(user)`), or null for `count()`. */
  field: string | null;
  groupBy: string[];
  condition: CountCondition;
  /** The rule's `timeframe`, or null (the whole case). */
  timespanMs: number | null;
}

/** Bounds on a count; several bounds all hold (`gt: 100, lte: 200`). */
export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

export interface CorrelationRule extends RuleMeta {
  kind: 'correlation';
  type: CorrelationType;
  /** Ids or names of the rules correlated. */
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  /** For temporal types without a condition: all the rules. */
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted. */
  field?: string;
  /** alias → { rule id or name → field }. */
  aliases: Record<string, Record<string, string>>;
  /** Whether the correlated rules also raise alerts of their own (Sigma's default: no). */
  generate: boolean;
}

export type Rule = DetectionRule | CorrelationRule;

export interface RuleTests {
  /** Log format id the sample lines are in (e.g. `apache.access`, `syslog`). */
  format: string;
  match: string[];
  nomatch: string[];
  /** Imported lists as the test sees them, for rules that use `iplist`: list name → addresses and networks. */
  lists?: Record<string, string[]>;
}

/** One line of the load report: every rule document is either loaded or skipped, with the reason. */
export interface RuleReportEntry {
  id: string | null;
  title: string | null;
  file: string;
  document: number;
  kind: 'detection' | 'correlation' | null;
  status: 'loaded' | 'skipped';
  reason?: string;
  /** Something worth knowing about a loaded rule (e.g. it only feeds a correlation). */
  note?: string;
}

/** A rule document that cannot be run, and why. Thrown while loading or compiling. */
export class RuleError extends Error {}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
