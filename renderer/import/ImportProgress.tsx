import type { ImportProgressDto } from '../../shared/ipc/contract.ts';
import { LogText } from '../events/LogText.tsx';
import { baseName, formatBytes, formatCount, formatSeconds } from '../format.ts';
import type { RunningState } from './import-state.tsx';
import { overallFraction } from './progress.ts';

export interface PlannedFile { path: string; name: string; size: number | null }

function phaseText(p: ImportProgressDto | null): string {
  if (!p) return 'Starting…';
  switch (p.phase) {
    case 'reading': return `Reading file ${formatCount(p.fileIndex + 1)} of ${formatCount(p.fileCount)}`;
    case 'indexing': return 'Building the indexes…';
    case 'done': return 'Finishing: running the detection rules…';
    default: return p.phase satisfies never;
  }
}

/** A running import: overall and per-file progress, speed, time left, and cancel. */
export function ImportProgress({ run, planned, onCancel }: { run: RunningState; planned: readonly PlannedFile[]; onCancel(): void }) {
  const p = run.overall;
  const seen = new Set(planned.map((f) => f.path));
  const files: PlannedFile[] = [
    ...planned,
    ...Object.keys(run.files).filter((path) => !seen.has(path)).map((path) => ({ path, name: baseName(path), size: null })),
  ];
  return (
    <section className="import-progress" data-testid="import-progress" data-phase={p?.phase ?? 'starting'} aria-live="polite">
      <div className="progress-head">
        <strong data-testid="progress-phase">{run.cancelling ? 'Cancelling…' : phaseText(p)}</strong>
        <button type="button" data-testid="cancel-import" disabled={run.cancelling} onClick={onCancel}>Cancel import</button>
      </div>
      <progress max={1} value={overallFraction(p)} aria-label="Import progress" />
      {p && (
        <dl className="stats" data-testid="progress-stats">
          <div><dt>Read</dt><dd data-testid="progress-bytes">{formatBytes(p.bytesRead)} of {formatBytes(p.bytesTotal)}</dd></div>
          <div><dt>Lines</dt><dd data-testid="progress-lines">{formatCount(p.lines)}</dd></div>
          <div><dt>Speed</dt><dd data-testid="progress-rate">{formatCount(p.linesPerSecond)} lines/s</dd></div>
          <div><dt>Time left</dt><dd data-testid="progress-eta">{p.etaSeconds === null || p.phase !== 'reading' ? '—' : `about ${formatSeconds(p.etaSeconds)}`}</dd></div>
        </dl>
      )}
      <table className="grid progress-files" data-testid="progress-files">
        <thead>
          <tr><th scope="col">File</th><th scope="col" className="num">Read</th><th scope="col">Progress</th><th scope="col">State</th></tr>
        </thead>
        <tbody>
          {files.map((f) => {
            const fp = run.files[f.path];
            const state = fp?.state ?? 'waiting';
            const fraction = state === 'done' ? 1 : fp && f.size ? Math.min(1, fp.bytes / f.size) : 0;
            return (
              <tr key={f.path} data-testid="progress-file" data-state={state}>
                <td data-col="name" title={f.path}><LogText text={f.name} /></td>
                <td data-col="bytes" className="num nowrap">
                  {fp ? formatBytes(fp.bytes) : '—'}{f.size !== null && ` of ${formatBytes(f.size)}`}
                </td>
                <td data-col="bar"><progress max={1} value={fraction} aria-label={`Progress of ${f.name}`} /></td>
                <td data-col="state">{state}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
