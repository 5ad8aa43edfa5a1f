/**
 * The built-in rule pack (resources/rules/): every rule loads, carries the metadata an analyst
 * relies on, and passes the test lines it ships with (`x-loupe-tests`, see resources/rules/README.md).
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IpListIndex } from '../../shared/intel/list-index.ts';
import { matchLines } from '../../shared/sigma/match-lines.ts';
import type { Rule } from '../../shared/sigma/types.ts';
import { BUILTIN_RULES_DIR, loadRules } from './load-rules.ts';

const { rules, report } = loadRules();

/** ATT&CK tactics as Sigma tags them (https://sigmahq.io/docs/basics/tags.html). */
const TACTICS = new Set([
  'reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation',
  'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control',
  'exfiltration', 'impact',
].map((t) => `attack.${t}`));
const TECHNIQUE = /^attack\.t\d{4}(\.\d{3})?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const fileOf = (rule: Rule): string => basename(rule.origin.file);
/** A correlation's test needs the rules it names; they live in the same file. */
const sameFile = (rule: Rule): Rule[] => rules.filter((r) => r.origin.file === rule.origin.file);
const label = (rule: Rule): string => `${fileOf(rule)} #${rule.origin.document}: ${rule.title}`;

describe('built-in rule pack', () => {
  it('loads every rule document of every file in the folder, none skipped', () => {
    const skipped = report.filter((r) => r.status !== 'loaded');
    expect(skipped, JSON.stringify(skipped, null, 2)).toEqual([]);
    const files = readdirSync(BUILTIN_RULES_DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
    expect(files.length).toBeGreaterThan(15);
    expect([...new Set(rules.map(fileOf))].sort()).toEqual(files);
    expect(report.length).toBe(rules.length);
  });

  it('has unique ids and names', () => {
    const ids = rules.map((r) => r.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    const names = rules.flatMap((r) => (r.name === undefined ? [] : [r.name]));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it.each(rules.map((r) => [label(r), r] as const))('%s: metadata', (_label, rule) => {
    expect(rule.id).toMatch(UUID);
    expect(rule.title.length).toBeGreaterThan(10);
    expect(rule.author).toBe('Loupe');
    expect(rule.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(['stable', 'test', 'experimental']).toContain(rule.status);
    expect(rule.levelDefaulted ?? false).toBe(false);
    expect(rule.description?.length ?? 0).toBeGreaterThan(40);
    expect(rule.falsepositives.length).toBeGreaterThan(0);
    expect(rule.tags.filter((t) => TECHNIQUE.test(t)), 'an ATT&CK technique tag').not.toEqual([]);
    expect(rule.tags.filter((t) => TACTICS.has(t)), 'an ATT&CK tactic tag').not.toEqual([]);
    expect(rule.tests, 'x-loupe-tests').toBeDefined();
    expect(rule.tests?.match.length ?? 0).toBeGreaterThan(0);
    expect(rule.tests?.nomatch.length ?? 0).toBeGreaterThan(0);
  });

  const detections = rules.filter((r) => r.kind === 'detection');
  const correlations = rules.filter((r) => r.kind === 'correlation');

  it.each(detections.map((r) => [label(r), r] as const))('%s: matches every match line, no nomatch line', (_label, rule) => {
    const tests = rule.tests!;
    const lists = tests.lists ? IpListIndex.fromText(tests.lists) : undefined;
    const opts = lists ? { ipLists: (ip: string) => lists.listsOf(ip) } : {};
    const hit = matchLines(rule, tests.format, tests.match, opts);
    const missed = tests.match.filter((_, i) => !(hit.matches[rule.id] ?? []).includes(i));
    expect(missed, 'match lines the rule does not match').toEqual([]);
    const miss = matchLines(rule, tests.format, tests.nomatch, opts);
    const matched = tests.nomatch.filter((_, i) => (miss.matches[rule.id] ?? []).includes(i));
    expect(matched, 'nomatch lines the rule matches').toEqual([]);
  });

  it.each(correlations.map((r) => [label(r), r] as const))('%s: fires on the match sequence, not on the nomatch one', (_label, rule) => {
    const tests = rule.tests!;
    expect(matchLines(sameFile(rule), tests.format, tests.match).fired[rule.id] ?? 0).toBeGreaterThan(0);
    expect(matchLines(sameFile(rule), tests.format, tests.nomatch).fired[rule.id] ?? 0).toBe(0);
  });

  it('raises alerts only from the rules meant to: base rules of correlations stay silent', () => {
    for (const r of rules) {
      const feedsCorrelation = correlations.some((c) => c.kind === 'correlation' && (c.rules.includes(r.id) || (r.name !== undefined && c.rules.includes(r.name))));
      if (feedsCorrelation) expect(r.level, label(r)).toMatch(/^(informational|low)$/);
    }
  });
});
