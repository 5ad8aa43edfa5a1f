/** Small builders the Sigma tests share: rules from YAML text, events from a few fields. */
import type { MatchEvent } from './event-fields.ts';
import { loadRuleText } from './load.ts';
import { buildRuleSet, type RuleSet } from './ruleset.ts';
import type { CompiledDetection } from './compile.ts';

/** A rule set from YAML text (one or many documents). */
export function ruleSetFrom(yaml: string, file = 'test.yml'): RuleSet {
  const { rules, skipped } = loadRuleText(yaml, file);
  return buildRuleSet(rules, skipped);
}

/** The one detection rule of `yaml`; throws with the report's reason when it was skipped. */
export function detectionFrom(yaml: string): CompiledDetection {
  const set = ruleSetFrom(yaml);
  const skipped = set.report.find((r) => r.status === 'skipped');
  if (skipped) throw new Error(skipped.reason);
  const d = set.detections[0];
  if (!d) throw new Error('no detection rule');
  return d;
}

/** A rule over Zeek log `test`, whose field names read `extra` as they are: handy for any field. */
export function zeekRule(detection: string): string {
  return `title: t\nid: t1\nlogsource:\n  product: zeek\n  service: test\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
}

let nextId = 1;

/** An event of Zeek log `test` with these `extra` fields (and any columns given in `columns`). */
export function zeekEvent(extra: Record<string, unknown>, columns: Partial<MatchEvent> = {}): MatchEvent {
  return { id: nextId++, ts: 0, dataset: 'zeek.test', raw: JSON.stringify(extra), extra, ...columns };
}
