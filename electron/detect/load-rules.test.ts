import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { loadRules, RuleLoadError } from './load-rules.ts';

const tempDir = useTempDir();

const rule = (id: string, extra = ''): string =>
  `title: Rule ${id}\nid: ${id}\nlogsource: { category: webserver }\ndetection:\n  s: { c-ip: 192.0.2.1 }\n  condition: s\n${extra}`;

describe('loadRules', () => {
  it('reads the files and folders given, recursively, .yml and .yaml only', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'pack', 'nested'), { recursive: true });
    writeFileSync(join(dir, 'pack', 'a.yml'), rule('a'));
    writeFileSync(join(dir, 'pack', 'nested', 'b.yaml'), `${rule('b')}---\n${rule('c')}`);
    writeFileSync(join(dir, 'pack', 'notes.txt'), 'not a rule');
    writeFileSync(join(dir, 'single.rule'), rule('d'));
    const { rules, report, set } = loadRules([join(dir, 'pack'), join(dir, 'single.rule')], { builtin: false });
    expect(rules.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(report.map((r) => [r.id, r.file.slice(dir.length), r.document, r.status])).toEqual([
      ['a', '/pack/a.yml', 1, 'loaded'], ['b', '/pack/nested/b.yaml', 1, 'loaded'], ['c', '/pack/nested/b.yaml', 2, 'loaded'], ['d', '/single.rule', 1, 'loaded'],
    ]);
    expect(set.detections).toHaveLength(4);
  });

  it('lists broken and unsupported rules as skipped, with their file, and keeps going', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mixed.yml'), [
      rule('ok'),
      'title: Windows rule\nid: win\nlogsource: { product: windows, category: process_creation }\ndetection:\n  s: { Image|endswith: "\\\\cmd.exe" }\n  condition: s\n',
      rule('bad-mod').replace('c-ip:', 'c-ip|sounds_like:'),
      'title: [broken\n',
    ].join('---\n'));
    const { rules, report } = loadRules([join(dir, 'mixed.yml')], { builtin: false });
    expect(rules.map((r) => r.id)).toEqual(['ok']);
    expect(report.map((r) => [r.document, r.id, r.status, r.reason ?? ''])).toEqual([
      [1, 'ok', 'loaded', ''],
      [2, 'win', 'skipped', expect.stringMatching(/product: windows, category: process_creation is not supported/)],
      [3, 'bad-mod', 'skipped', expect.stringMatching(/unknown modifier "sounds_like"/)],
      [4, null, 'skipped', expect.stringMatching(/^YAML error at line \d+, column \d+/)],
    ]);
    expect(report.every((r) => r.file.endsWith('mixed.yml'))).toBe(true);
  });

  it('refuses a path that does not exist, naming it', () => {
    const missing = join(tempDir(), 'nope.yml');
    expect(() => loadRules([missing])).toThrow(RuleLoadError);
    expect(() => loadRules([missing])).toThrow(`${missing}: no such rule file or folder`);
  });

  it('loads the built-in pack from resources/rules/, named relative to the project', () => {
    const { report, set } = loadRules();
    expect(report.length).toBeGreaterThan(0);
    expect(report.every((r) => r.file.startsWith('resources/rules/'))).toBe(true);
    expect(set.detections.length + set.correlations.length).toBeGreaterThan(0);
  });
});
