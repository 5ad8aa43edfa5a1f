import { useCallback, useEffect, useState } from 'react';
import type { CaseSummary } from '../../shared/ipc/contract.ts';
import { createCase, errorMessage, listRecentCases, onImportProgress, openCase, openSampleCase, pickCasePath } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { baseName, formatCount } from '../format.ts';
import { overallFraction } from '../import/progress.ts';
import { CasePathForm } from './CasePathForm.tsx';
import { RecentCases, type RecentState } from './RecentCases.tsx';

type Busy = { what: string } | null;

/** A new case's file name ends in .loupe; the save dialog adds it too when the analyst leaves it off. */
export function withCaseExtension(path: string): string {
  return /\.loupe$/i.test(path) ? path : `${path}.loupe`;
}

const PREPARING_SAMPLE = 'Preparing the sample case (the first time, its logs are generated and imported)…';

/** Where every session begins: a new case, an existing one, a recent one, or the sample. */
export function StartView() {
  const { caseSummary, caseOpened, go } = useAppState();
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<string | null>(null);
  const [recent, setRecent] = useState<RecentState>({ status: 'loading' });
  // The sample case is generated and imported on first use; its import reports progress.
  const [sampleProgress, setSampleProgress] = useState<string | null>(null);
  const preparingSample = busy?.what === PREPARING_SAMPLE;
  useEffect(() => {
    if (!preparingSample) return;
    const off = onImportProgress((p) => setSampleProgress(`${Math.round(overallFraction(p) * 100)} % · ${formatCount(p.lines)} lines`));
    return () => {
      off();
      setSampleProgress(null);
    };
  }, [preparingSample]);

  useEffect(() => {
    let current = true;
    listRecentCases().then(
      (cases) => current && setRecent({ status: 'ready', cases }),
      (err: unknown) => current && setRecent({ status: 'error', message: errorMessage(err) }),
    );
    return () => {
      current = false;
    };
  }, [caseSummary?.path]);

  const run = useCallback((what: string, call: () => Promise<CaseSummary>) => {
    setBusy({ what });
    setError(null);
    call().then((summary) => {
      setBusy(null);
      caseOpened(summary);
    }, (err: unknown) => {
      setBusy(null);
      setError(errorMessage(err));
    });
  }, [caseOpened]);

  const browse = (purpose: 'open' | 'create'): void => {
    setError(null);
    pickCasePath(purpose).then((path) => {
      if (path === null) return;
      if (purpose === 'create') run('Creating the case…', () => createCase(withCaseExtension(path)));
      else run('Opening the case…', () => openCase(path));
    }, (err: unknown) => setError(errorMessage(err)));
  };

  return (
    <div className="start-view" data-testid="start-view" data-state={busy ? 'busy' : error !== null ? 'error' : 'idle'}>
      <header className="view-head">
        <h2>Cases</h2>
        <p className="muted">A case is one file holding the evidence you import, every parsed line, and the alerts and notes on them.</p>
      </header>

      {caseSummary && (
        <p className="current-case" data-testid="current-case">
          Open now: <strong><LogText text={baseName(caseSummary.path)} /></strong>{' '}
          <span className="muted">({formatCount(caseSummary.eventCount)} events)</span>{' '}
          <button type="button" className="link" onClick={() => go({ view: 'timeline' })}>Back to it</button>
        </p>
      )}

      {busy && (
        <p role="status" data-testid="start-busy">
          {busy.what}{preparingSample && sampleProgress !== null && <span className="muted"> {sampleProgress}</span>}
        </p>
      )}
      {error !== null && <p role="alert" className="error" data-testid="start-error"><LogText text={error} /></p>}

      <div className="start-grid">
        <section className="start-card sample" aria-labelledby="sample-heading">
          <h3 id="sample-heading">Explore the sample case</h3>
          <p>
            A web server and its Linux host: ordinary visitors and cron jobs, and an intrusion among them —
            scans, SQL injection, an SSH brute force, a new sudo user. Generated, so nothing in it is real.
          </p>
          <button
            type="button"
            className="primary"
            data-testid="open-sample"
            disabled={busy !== null}
            onClick={() => run(PREPARING_SAMPLE, openSampleCase)}
          >
            Open the sample case
          </button>
        </section>

        <section className="start-card" aria-label="New or existing case">
          <CasePathForm
            id="create-case"
            label="New case"
            action="Create"
            placeholder="/cases/incident-42.loupe"
            busy={busy !== null}
            onSubmit={(path) => run('Creating the case…', () => createCase(withCaseExtension(path)))}
            onBrowse={() => browse('create')}
          />
          <CasePathForm
            id="open-case"
            label="Open a case file"
            action="Open"
            placeholder="/cases/incident-41.loupe"
            busy={busy !== null}
            onSubmit={(path) => run('Opening the case…', () => openCase(path))}
            onBrowse={() => browse('open')}
          />
        </section>

        <RecentCases recent={recent} busy={busy !== null} onOpen={(path) => run('Opening the case…', () => openCase(path))} />
      </div>
    </div>
  );
}
