import { describe, expect, it } from 'vitest';
import { loadRuleText } from './load.ts';
import { ruleSetFrom } from './test-support.ts';

const WEB = `title: Scanner
id: web-1
status: test
level: high
author: Loupe
tags: [attack.reconnaissance, attack.t1595]
logsource:
  category: webserver
detection:
  selection:
    cs-user-agent|contains: sqlmap
  condition: selection
x-vendor-thing: { kept: true }
x-loupe-tests:
  format: apache.access
  match: ['1.2.3.4 - - [14/Mar/2026:08:02:11 +0000] "GET / HTTP/1.1" 200 1 "-" "sqlmap/1.8"']
`;

describe('loading rule files', () => {
  it('reads every document of a file, keeping metadata, x- fields and the test lines', () => {
    const { rules, skipped } = loadRuleText(`${WEB}---\n${WEB.replace('web-1', 'web-2').replace('Scanner', 'Second')}`, 'rules/web.yml');
    expect(skipped).toEqual([]);
    expect(rules.map((r) => [r.id, r.title, r.origin.document])).toEqual([['web-1', 'Scanner', 1], ['web-2', 'Second', 2]]);
    expect(rules[0]).toMatchObject({
      kind: 'detection', level: 'high', author: 'Loupe', status: 'test', tags: ['attack.reconnaissance', 'attack.t1595'],
      logsource: { category: 'webserver' }, origin: { file: 'rules/web.yml', document: 1 },
      tests: { format: 'apache.access', nomatch: [] },
    });
    expect(rules[0]?.tests?.match).toHaveLength(1);
  });

  it('names the file, the document and the line of a YAML error, and keeps the good documents', () => {
    const { rules, skipped } = loadRuleText(`${WEB}---\ntitle: broken\ndetection: [unclosed\n`, 'bad.yml');
    expect(rules).toHaveLength(1);
    expect(skipped).toEqual([expect.objectContaining({ file: 'bad.yml', document: 2, status: 'skipped', reason: expect.stringMatching(/^YAML error at line \d+, column \d+: /) })]);
  });

  it('names the field a schema check fails on', () => {
    const noTitle = loadRuleText('id: x\nlogsource: { category: webserver }\ndetection: { s: { c-ip: 1 }, condition: s }\n', 'f.yml');
    expect(noTitle.skipped[0]?.reason).toMatch(/field "title"/);
    const badLevel = loadRuleText(WEB.replace('level: high', 'level: urgent'), 'f.yml');
    expect(badLevel.skipped[0]).toMatchObject({ id: 'web-1', title: 'Scanner', reason: expect.stringMatching(/field "level"/) });
    const badTests = loadRuleText(WEB.replace('format: apache.access', 'format: word-doc'), 'f.yml');
    expect(badTests.skipped[0]?.reason).toMatch(/x-loupe-tests.format": unknown format "word-doc"/);
    const nested = loadRuleText(WEB.replace('cs-user-agent|contains: sqlmap', 'cs-user-agent: { deeper: x }'), 'f.yml');
    expect(nested.skipped[0]?.reason).toMatch(/field "detection.selection.cs-user-agent": values must be plain values/);
    const noCondition = loadRuleText(WEB.replace('  condition: selection\n', ''), 'f.yml');
    expect(noCondition.skipped[0]?.reason).toMatch(/field "detection.condition"/);
  });

  it('skips, with the reason, what it does not run', () => {
    const docs = [
      'title: global\naction: global\nlogsource: { product: windows }\n',
      'title: deprecated\nstatus: deprecated\nlogsource: { category: webserver }\ndetection: { s: { c-ip: 1 }, condition: s }\n',
      'title: neither\nid: n1\n',
    ].join('---\n');
    const { skipped } = loadRuleText(docs, 'f.yml');
    expect(skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/action: global\) are not supported/),
      expect.stringMatching(/status deprecated/),
      expect.stringMatching(/neither "detection" nor "correlation"/),
    ]);
  });

  it('refuses alias bombs and reads a BOM and CRLF line ends', () => {
    const bomb = 'a: &a [1, 2]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n';
    expect(loadRuleText(bomb, 'bomb.yml').skipped[0]?.reason).toMatch(/^YAML: Excessive alias count/);
    expect(loadRuleText(`\uFEFF${WEB.replace(/\n/g, '\r\n')}`, 'win.yml').rules).toHaveLength(1);
  });

  it('ignores empty documents', () => {
    expect(loadRuleText(`---\n${WEB}---\n# nothing\n`, 'f.yml').rules).toHaveLength(1);
  });
});

describe('the rule set report', () => {
  it('lists every rule as loaded or skipped with the reason', () => {
    const set = ruleSetFrom([
      WEB,
      WEB.replace('web-1', 'win-1').replace('category: webserver', 'product: windows\n  service: security'),
      WEB.replace('web-1', 'mod-1').replace('cs-user-agent|contains', 'cs-user-agent|sortof'),
      WEB.replace('web-1', 'field-1').replace('cs-user-agent|contains', 'cs-cookie|contains'),
      WEB,
    ].join('---\n'), 'pack.yml');
    expect(set.report.map((r) => [r.id, r.status, r.reason ?? ''])).toEqual([
      ['web-1', 'loaded', ''],
      ['win-1', 'skipped', expect.stringMatching(/logsource product: windows, service: security is not supported/)],
      ['mod-1', 'skipped', expect.stringMatching(/detection.selection: "cs-user-agent\|sortof": unknown modifier "sortof"/)],
      ['field-1', 'skipped', expect.stringMatching(/field "cs-cookie": cookies are not in/)],
      ['web-1', 'skipped', 'duplicate id "web-1" (already loaded from pack.yml, document 1)'],
    ]);
    expect(set.detections.map((d) => d.rule.id)).toEqual(['web-1']);
  });

  const BASE = `title: Failed SSH login
id: base-1
name: ssh_failed
logsource: { product: linux, service: sshd }
detection:
  sel: { event.action: login, event.outcome: failure }
  condition: sel
`;
  const corr = (body: string): string => `title: Brute force\nid: corr-1\nlevel: high\ncorrelation:\n${body.replace(/^/gm, '  ')}\n`;

  it('links correlations by id or name and says which rules only feed them', () => {
    const set = ruleSetFrom(`${BASE}---\n${corr('type: event_count\nrules: [ssh_failed]\ngroup-by: [source.ip]\ntimespan: 5m\ncondition: { gte: 5 }')}`);
    expect(set.correlations.map((c) => c.rule.id)).toEqual(['corr-1']);
    expect(set.correlations[0]?.entity).toEqual({ index: 0, type: 'ip' });
    expect([...set.alerting]).toEqual(['corr-1']);
    expect(set.report.find((r) => r.id === 'base-1')?.note).toMatch(/no alerts of its own: it feeds "Brute force"/);
    const generating = ruleSetFrom(`${BASE}---\n${corr('type: event_count\nrules: [base-1]\ngroup-by: [source.ip]\ntimespan: 5m\ncondition: { gte: 5 }\ngenerate: true')}`);
    expect([...generating.alerting].sort()).toEqual(['base-1', 'corr-1']);
  });

  it('skips correlations that cannot be linked, saying why', () => {
    const cases: [string, RegExp][] = [
      ['type: event_count\nrules: [nope]\ntimespan: 5m\ncondition: { gte: 5 }', /refers to "nope", which is not loaded/],
      ['type: event_count\nrules: [ssh_failed]\ngroup-by: [c-ip]\ntimespan: 5m\ncondition: { gte: 5 }', /group-by "c-ip" in "ssh_failed": field "c-ip" has no meaning for product linux service sshd/],
      ['type: event_count\nrules: [ssh_failed]\ntimespan: 5q\ncondition: { gte: 5 }', /field "correlation.timespan"/],
      ['type: event_count\nrules: [ssh_failed]\ntimespan: 5m', /event_count needs a bound/],
      ['type: value_count\nrules: [ssh_failed]\ntimespan: 5m\ncondition: { gte: 5 }', /value_count needs the field/],
      ['type: sliding_mean\nrules: [ssh_failed]\ntimespan: 5m', /field "correlation.type"/],
      ['type: temporal_ordered\nrules: [ssh_failed, base-1]\ntimespan: 5m\ncondition: { gte: 1 }', /temporal_ordered needs all 2 rules in order/],
    ];
    for (const [body, reason] of cases) {
      const set = ruleSetFrom(`${BASE}---\n${corr(body)}`);
      expect(set.report.find((r) => r.id === 'corr-1'), body).toMatchObject({ status: 'skipped', reason: expect.stringMatching(reason) });
    }
    const cycle = ruleSetFrom(`${corr('type: event_count\nrules: [corr-2]\ntimespan: 5m\ncondition: { gte: 1 }')}---\n${corr('type: event_count\nrules: [corr-1]\ntimespan: 5m\ncondition: { gte: 1 }').replace('corr-1\n', 'corr-2\n')}`);
    expect(cycle.report.map((r) => r.reason)).toEqual([expect.stringMatching(/cycle/), expect.stringMatching(/cycle/)]);
  });

  it('runs a legacy count aggregation as a correlation under the rule\'s own id', () => {
    const set = ruleSetFrom(`title: Many 404\nid: legacy-1\nlogsource: { category: webserver }\ndetection:\n  sel: { sc-status: 404 }\n  timeframe: 10m\n  condition: sel | count() by c-ip > 20\n`);
    expect(set.report).toEqual([expect.objectContaining({ id: 'legacy-1', status: 'loaded', note: 'legacy aggregation, run as a event_count correlation' })]);
    expect(set.correlations[0]?.rule).toMatchObject({ id: 'legacy-1', type: 'event_count', groupBy: ['c-ip'], timespanMs: 600_000, condition: { gt: 20 } });
    expect([...set.alerting]).toEqual(['legacy-1']);
  });
});
