import { useEffect, useState } from 'react';
import { getAppInfo } from './api.ts';
import { CaseView } from './case/CaseView.tsx';
import { OpenCaseForm } from './case/OpenCaseForm.tsx';
import { useCase } from './case/use-case.ts';

export function App() {
  const { state, open } = useCase();
  const [version, setVersion] = useState('');
  useEffect(() => {
    getAppInfo().then((info) => setVersion(info.version), () => setVersion(''));
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Loupe <span className="muted" data-testid="app-version">{version}</span></h1>
        <OpenCaseForm busy={state.status === 'loading'} onOpen={open} />
      </header>
      {/* data-state is the readiness marker the e2e tests wait on. */}
      <main data-testid="case" data-state={state.status} aria-busy={state.status === 'loading'}>
        {state.status === 'empty' && <p className="empty">Open a case file to begin.</p>}
        {state.status === 'loading' && <p role="status">Opening…</p>}
        {state.status === 'error' && <p role="alert" className="error" data-testid="case-error">{state.message}</p>}
        {state.status === 'ready' && <CaseView summary={state.summary} events={state.events} />}
      </main>
    </div>
  );
}
