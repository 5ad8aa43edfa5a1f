import { isoUtc } from '../../shared/time.ts';
import { FORMATS } from '../../shared/parse/registry.ts';
import type { StoredEvent } from '../../shared/event.ts';
import { queryEvents } from '../engine/events-query.ts';
import { checkQuery } from '../../shared/query/parse.ts';
import { listSources, type SourceInfo } from '../engine/sources.ts';
import type { ImportResult } from '../ingest/import.ts';
import { importPaths } from '../ingest/import.ts';
import { detectAfterImport } from '../detect/after-import.ts';
import type { RunResult } from '../detect/run.ts';
import { DetectionCancelled } from '../detect/scan.ts';
import { openCase } from '../engine/case-db.ts';
import { parse, parsePositiveInt, parseTime, UsageError } from './args.ts';
import type { Io } from './main.ts';
import { progressBar } from './progress-bar.ts';

export async function importCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    format: { type: 'string' }, tz: { type: 'string' }, 'max-line-bytes': { type: 'string' }, 'no-detect': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [casePath, ...paths] = positionals;
  if (casePath === undefined || paths.length === 0) throw new UsageError('import needs a case file and at least one file or folder');
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.on('SIGINT', onSigint);
  const bar = progressBar();
  const maxLineBytes = values['max-line-bytes'] === undefined ? undefined : parsePositiveInt('--max-line-bytes', values['max-line-bytes'], 0);
  // The CLI has no window to keep responsive, so the import runs right here (the app runs it off
  // its main thread); Ctrl-C is still seen between chunks, since reading the file is asynchronous.
  let result: ImportResult;
  let detected: RunResult | undefined;
  let detectionCancelled = false;
  const c = openCase(casePath, { create: true });
  try {
    result = await importPaths(c, paths, {
      ...(values.format !== undefined ? { format: values.format } : {}),
      ...(values.tz !== undefined ? { timezone: values.tz } : {}),
      ...(maxLineBytes !== undefined ? { maxLineBytes } : {}),
      signal: abort.signal,
      onProgress: (p) => bar.update(p),
    });
    bar.clear();
    if (!values['no-detect']) {
      try {
        detected = await detectAfterImport(c, result, { signal: abort.signal });
      } catch (err) {
        if (!(err instanceof DetectionCancelled)) throw err;
        detectionCancelled = true;
      }
    }
  } finally {
    c.close();
    bar.clear();
    process.off('SIGINT', onSigint);
  }
  const failed = result.sources.filter((s) => s.status !== 'complete');
  const refused = result.skipped.filter((s) => !s.reason.startsWith('already imported'));
  const detections = detected && {
    alerts: detected.alerts.length, new: detected.stored.added,
    rulesLoaded: detected.rules.filter((r) => r.status === 'loaded').length,
    rulesSkipped: detected.rules.filter((r) => r.status !== 'loaded').length,
    seconds: Math.round(detected.seconds * 1000) / 1000,
  };
  if (values.json) io.out(JSON.stringify({ ...result, detections: detections ?? null }, null, 2));
  else {
    for (const s of result.sources) io.out(describeSource(s));
    for (const s of result.skipped) io.err(`${s.path}: ${s.reason}`);
    io.out(`${result.lines.toLocaleString('en-US')} lines from ${result.sources.length} file(s) in ${result.seconds.toFixed(1)} s` +
      (result.cancelled ? ' — cancelled; the file being read was removed from the case' : ''));
    if (detectionCancelled) io.err('detections cancelled; run `loupe detect` on the case to run them');
    if (detections) {
      io.out(`${detections.alerts} alert(s), ${detections.new} new, from ${detections.rulesLoaded} rules in ${detections.seconds.toFixed(1)} s` +
        ` (loupe alerts ${safe(casePath)} lists them)`);
    }
  }
  for (const s of failed) io.err(`${s.path}: ${s.problem ?? 'incomplete'}`);
  if (result.cancelled || detectionCancelled) return 130;
  return failed.length > 0 || refused.length > 0 ? 1 : 0;
}

export function infoCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' } });
  const [casePath] = positionals;
  if (casePath === undefined || positionals.length > 1) throw new UsageError('info needs exactly one case file');
  const c = openCase(casePath, { readonly: true });
  try {
    const meta = Object.fromEntries((c.db.prepare('SELECT key, value FROM case_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const schema = (c.db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v;
    const events = (c.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const sources = listSources(c.db);
    if (values.json) io.out(JSON.stringify({ path: casePath, ...meta, schemaVersion: schema, events, sources }, null, 2));
    else {
      io.out(`case ${casePath} (id ${meta['case_id']}, created ${meta['created_at']}, schema ${schema}): ${events.toLocaleString('en-US')} events`);
      for (const s of sources) io.out(describeSource(s));
    }
  } finally {
    c.close();
  }
  return 0;
}

export function eventsCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, {
    ip: { type: 'string' }, user: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
    text: { type: 'string' }, query: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' },
  });
  const [casePath] = positionals;
  if (casePath === undefined || positionals.length > 1) throw new UsageError('events needs exactly one case file');
  if (values.query !== undefined) {
    const checked = checkQuery(values.query);
    if (!checked.ok) throw new UsageError(`--query: ${checked.error.message} (at characters ${checked.error.start + 1}–${Math.max(checked.error.start + 1, checked.error.end)})`);
  }
  const from = parseTime('--from', values.from);
  const to = parseTime('--to', values.to);
  const limit = parsePositiveInt('--limit', values.limit, 100);
  const c = openCase(casePath, { readonly: true });
  try {
    const rows = queryEvents(c.db, {
      ...(values.ip !== undefined ? { ip: values.ip } : {}),
      ...(values.user !== undefined ? { user: values.user } : {}),
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      ...(values.text !== undefined ? { text: values.text } : {}),
      ...(values.query !== undefined ? { query: values.query } : {}),
    }, { limit });
    if (values.json) io.out(JSON.stringify(rows, null, 2));
    else for (const e of rows) io.out(describeEvent(e));
  } finally {
    c.close();
  }
  return 0;
}

export function formatsCommand(argv: string[], io: Io): number {
  const { values } = parse(argv, { json: { type: 'boolean' } });
  const list = FORMATS.map((f) => ({ id: f.id, title: f.title }));
  if (values.json) io.out(JSON.stringify(list, null, 2));
  else for (const f of list) io.out(`${f.id.padEnd(16)} ${f.title}`);
  return 0;
}

function describeSource(s: SourceInfo): string {
  const format = s.formatForced ? `${s.format} (forced)` : `${s.format} (confidence ${s.formatConfidence ?? 0})`;
  const l = s.lines;
  const lines = [
    `#${s.id} ${safe(s.name)} — ${s.status}`,
    `  path      ${safe(s.path)}${s.compression ? ` (${s.compression})` : ''}`,
    `  sha256    ${s.sha256 ?? '-'}`,
    `  format    ${format}, timezone ${s.timezone}`,
    `  lines     ${l.total} total, ${l.parsed} parsed, ${l.unparsed} unparsed, ${l.truncated} truncated, ${l.invalidUtf8} not UTF-8`,
  ];
  for (const a of s.assumptions) lines.push(`  assumed   ${safe(a)}`);
  if (s.problem) lines.push(`  problem   ${safe(s.problem)}`);
  return lines.join('\n');
}

function describeEvent(e: StoredEvent): string {
  const who = [e.srcIp, e.user && `user=${e.user}`].filter(Boolean).join(' ');
  return `${isoUtc(e.ts) || '(no time)'.padEnd(24)} ${e.dataset.padEnd(14)} ${who.padEnd(24)} ${safe(e.raw)}`;
}

/** Log text is hostile: control characters (ANSI escapes above all) are shown, not sent to the terminal. */
export function safe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
