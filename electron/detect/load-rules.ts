/** Reads rule files: the built-in pack in resources/rules/ and the files or folders a user names. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRuleText } from '../../shared/sigma/load.ts';
import { buildRuleSet, type RuleSet } from '../../shared/sigma/ruleset.ts';
import type { Rule, RuleReportEntry } from '../../shared/sigma/types.ts';

export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../resources/rules/', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A rule path that does not exist or cannot be read: the run stops, naming it. */
export class RuleLoadError extends Error {}

export interface LoadRulesOptions {
  /** Load the built-in pack too (default true). */
  builtin?: boolean;
}

export interface LoadedRules {
  /** The rules that loaded, as parsed (their metadata and `tests`). */
  rules: Rule[];
  /** Every rule document: loaded, or skipped with the reason. */
  report: RuleReportEntry[];
  /** The loaded rules compiled and linked, ready to run. */
  set: RuleSet;
}

const RULE_FILE = /\.ya?ml$/i;

/** `.yml`/`.yaml` files under a folder, recursively, in a stable order. */
function ruleFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...ruleFiles(path));
    else if (entry.isFile() && RULE_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

function expand(path: string): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    throw new RuleLoadError(`${path}: no such rule file or folder`);
  }
  // A file named explicitly is read whatever its extension; a folder contributes its YAML files.
  return stat.isDirectory() ? ruleFiles(path) : [path];
}

/** Loads the built-in rules and the user's files or folders into one rule set with its report. */
export function loadRules(paths: readonly string[] = [], opts: LoadRulesOptions = {}): LoadedRules {
  const files: { path: string; shown: string }[] = [];
  if (opts.builtin !== false) {
    let builtin: string[] = [];
    try {
      builtin = ruleFiles(BUILTIN_RULES_DIR);
    } catch {
      // No pack installed (a bare checkout): the user's rules still run.
    }
    for (const f of builtin) files.push({ path: f, shown: relative(REPO_ROOT, f) });
  }
  for (const p of paths) for (const f of expand(resolve(p))) files.push({ path: f, shown: f });
  const rules: Rule[] = [];
  const skipped: RuleReportEntry[] = [];
  for (const { path, shown } of files) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new RuleLoadError(`${shown}: cannot read rule file (${(err as Error).message})`);
    }
    const loaded = loadRuleText(text, shown);
    rules.push(...loaded.rules);
    skipped.push(...loaded.skipped);
  }
  const set = buildRuleSet(rules, skipped);
  const loaded = new Set(set.report.filter((r) => r.status === 'loaded').map((r) => `${r.file}\u0000${r.document}`));
  return { rules: rules.filter((r) => loaded.has(`${r.origin.file}\u0000${r.origin.document}`)), report: set.report, set };
}
