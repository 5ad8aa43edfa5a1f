/** `loupe detect`, `loupe alerts` and `loupe triage`: run the rules, list the alerts, triage one. */
import type { StoredEvent } from '../../shared/event.ts';
import type { RuleReportEntry } from '../../shared/sigma/types.ts';
import { LEVELS, type Level } from '../../shared/sigma/types.ts';
import { isoUtc } from '../../shared/time.ts';
import { openCase } from '../engine/case-db.ts';
import { ALERT_STATUSES, alertEvents, getAlert, hasAlerts, listAlerts, setAlertTriage, type Alert, type AlertStatus } from '../engine/alerts.ts';
import { runDetections, type DetectionProgress } from '../detect/run.ts';
import { parse, parsePositiveInt, UsageError } from './args.ts';
import { safe } from './commands.ts';
import type { Io } from './main.ts';

export async function detectCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, {
    rules: { type: 'string', multiple: true }, 'no-builtin': { type: 'boolean' }, json: { type: 'boolean' },
  });
  const [casePath, ...more] = positionals;
  if (casePath === undefined) throw new UsageError('detect needs a case file');
  // `--rules a.yml b.yml`: paths after the first --rules value belong to it too.
  if (more.length > 0 && values.rules === undefined) throw new UsageError('detect takes one case file (give rule files with --rules)');
  const rulePaths = [...(values.rules ?? []), ...more];
  if (values['no-builtin'] && rulePaths.length === 0) throw new UsageError('--no-builtin needs rule files given with --rules');
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.on('SIGINT', onSigint);
  const progress = detectProgress();
  const c = openCase(casePath);
  let result;
  try {
    result = await runDetections(c, {
      rulePaths, signal: abort.signal, onProgress: progress.update, ...(values['no-builtin'] ? { builtin: false } : {}),
    });
  } finally {
    progress.clear();
    c.close();
    process.off('SIGINT', onSigint);
  }
  if (values.json) {
    io.out(JSON.stringify({
      alerts: result.alerts.map((a) => alertJson(a, a.eventIds)),
      rules: result.rules.map(reportJson),
      stored: { added: result.stored.added, updated: result.stored.updated, removed: result.stored.removed, kept: result.stored.kept },
      seconds: Math.round(result.seconds * 1000) / 1000,
    }, null, 2));
    return 0;
  }
  const loaded = result.rules.filter((r) => r.status === 'loaded');
  io.out(`Rules: ${loaded.length} loaded, ${result.rules.length - loaded.length} skipped`);
  for (const r of result.rules) io.out(describeReport(r));
  const s = result.stored;
  io.out(`\nAlerts: ${result.alerts.length} (${s.added} new, ${s.updated} found again, ${s.removed} no longer found` +
    `${s.kept > 0 ? `, ${s.kept} triaged kept` : ''}) in ${result.seconds.toFixed(1)} s`);
  for (const a of result.alerts) io.out(describeAlert(a));
  return 0;
}

export function alertsCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, {
    json: { type: 'boolean' }, status: { type: 'string' }, level: { type: 'string' }, id: { type: 'string' },
  });
  const [casePath] = positionals;
  if (casePath === undefined || positionals.length > 1) throw new UsageError('alerts needs exactly one case file');
  const status = values.status === undefined ? undefined : statusArg(values.status);
  const level = values.level === undefined ? undefined : levelArg(values.level);
  const id = values.id === undefined ? undefined : parsePositiveInt('--id', values.id, 0);
  const c = openCase(casePath, { readonly: true });
  try {
    if (!hasAlerts(c.db)) {
      if (values.json) io.out('[]');
      else io.out('0 alert(s): detections have not run on this case (loupe detect runs them)');
      return id === undefined ? 0 : 1;
    }
    if (id !== undefined) {
      const alert = getAlert(c.db, id);
      if (!alert) {
        io.err(`loupe: no alert ${id} in ${casePath}`);
        return 1;
      }
      const events = alertEvents(c.db, id);
      if (values.json) io.out(JSON.stringify({ ...alertJson(alert, alert.eventIds), events }, null, 2));
      else io.out(describeAlertInFull(alert, events));
      return 0;
    }
    const alerts = listAlerts(c.db, { ...(status ? { status } : {}), ...(level ? { level } : {}) });
    if (values.json) {
      io.out(JSON.stringify(alerts.map((a) => alertJson(a, getAlert(c.db, a.id)?.eventIds ?? [])), null, 2));
    } else {
      io.out(`${alerts.length} alert(s)`);
      for (const a of alerts) io.out(describeAlert(a));
    }
  } finally {
    c.close();
  }
  return 0;
}

export function triageCommand(argv: string[], io: Io): number {
  const { values, positionals } = parse(argv, { status: { type: 'string' }, note: { type: 'string' }, json: { type: 'boolean' } });
  const [casePath, idText] = positionals;
  if (casePath === undefined || idText === undefined || positionals.length > 2) throw new UsageError('triage needs a case file and an alert id');
  const id = parsePositiveInt('ALERT_ID', idText, 0);
  if (values.status === undefined) throw new UsageError(`triage needs --status (${ALERT_STATUSES.join(', ')})`);
  const status = statusArg(values.status);
  const c = openCase(casePath);
  try {
    const alert = setAlertTriage(c.db, id, status, values.note);
    if (values.json) io.out(JSON.stringify(alertJson(alert, getAlert(c.db, id)?.eventIds ?? []), null, 2));
    else io.out(`alert #${alert.id} ${safe(alert.rule.title)}: ${alert.status}${alert.note ? ` — ${safe(alert.note)}` : ''}`);
  } finally {
    c.close();
  }
  return 0;
}

function statusArg(text: string): AlertStatus {
  if (!(ALERT_STATUSES as readonly string[]).includes(text)) throw new UsageError(`--status: "${text}" is not one of ${ALERT_STATUSES.join(', ')}`);
  return text as AlertStatus;
}

function levelArg(text: string): Level {
  if (!(LEVELS as readonly string[]).includes(text)) throw new UsageError(`--level: "${text}" is not one of ${LEVELS.join(', ')}`);
  return text as Level;
}

/** An alert as the JSON output gives it: times in ISO 8601, with its events' ids. */
function alertJson(a: Alert, eventIds: readonly number[]): Record<string, unknown> {
  return {
    id: a.id, rule: a.rule, entity: a.entity, count: a.count,
    first: a.first === null ? null : isoUtc(a.first), last: a.last === null ? null : isoUtc(a.last),
    status: a.status, note: a.note, eventIds, why: a.why,
  };
}

function reportJson(r: RuleReportEntry): Record<string, unknown> {
  return {
    id: r.id, title: r.title, file: r.file, document: r.document, kind: r.kind, status: r.status,
    ...(r.reason !== undefined ? { reason: r.reason } : {}), ...(r.note !== undefined ? { note: r.note } : {}),
  };
}

function describeReport(r: RuleReportEntry): string {
  const where = `${r.file}${r.document > 1 ? ` #${r.document}` : ''}`;
  const name = r.title === null ? '(untitled)' : `"${r.title}"`;
  return safe(`  ${r.status.padEnd(7)} ${name} ${where}${r.reason ? `: ${r.reason}` : ''}${r.note ? ` (${r.note})` : ''}`);
}

const time = (ms: number | null): string => (ms === null ? '(no time)' : isoUtc(ms));

function describeAlert(a: Alert): string {
  const entity = a.entity.type === 'none' ? '-' : `${a.entity.type} ${a.entity.value}`;
  const status = a.status === 'open' ? '' : ` [${a.status}]`;
  return safe(`  #${String(a.id).padEnd(5)} ${a.rule.level.padEnd(13)} ${a.rule.title}  ${entity}  ${a.count} event(s)  ` +
    `${time(a.first)} → ${time(a.last)}${status}`);
}

function describeAlertInFull(a: Alert, events: readonly StoredEvent[]): string {
  const lines = [
    describeAlert(a).trimStart(),
    `  rule      ${a.rule.id}${a.rule.version ? ` (version ${a.rule.version})` : ''}${a.rule.author ? ` by ${a.rule.author}` : ''}`,
    `  tags      ${a.rule.tags.join(', ') || '-'}`,
    `  status    ${a.status}${a.note ? ` — ${a.note}` : ''}`,
    `  why       ${JSON.stringify(a.why)}`,
    `  events    ${a.count}${events.length < a.count ? ` (first ${events.length} shown)` : ''}`,
    ...events.map((e) => `    ${time(e.ts)} #${e.id} ${e.raw}`),
  ];
  return lines.map(safe).join('\n');
}

/** One status line on a terminal's stderr while rules run; silent otherwise. */
function detectProgress(stream: NodeJS.WriteStream = process.stderr): { update: (p: DetectionProgress) => void; clear(): void } {
  const tty = stream.isTTY === true;
  let shown = false;
  return {
    update(p) {
      if (!tty) return;
      const pct = p.total > 0 ? Math.round((100 * p.scanned) / p.total) : 100;
      stream.write(`\r\x1b[K${p.phase} ${pct}% — ${p.candidates.toLocaleString('en-US')} events read, ${p.matches.toLocaleString('en-US')} matches`);
      shown = true;
    },
    clear() {
      if (tty && shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
