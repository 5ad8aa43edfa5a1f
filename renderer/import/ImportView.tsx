import { useAppState } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { baseName, formatCount } from '../format.ts';
import { EvidencePicker } from './EvidencePicker.tsx';
import { useImport } from './import-state.tsx';
import { ImportPreview } from './ImportPreview.tsx';
import { ImportProgress, type PlannedFile } from './ImportProgress.tsx';
import { ImportSummary } from './ImportSummary.tsx';
import { SourcesTable } from './SourcesTable.tsx';
import { TimezoneSelect } from './TimezoneSelect.tsx';
import { useFormats } from './use-formats.ts';

/** Evidence into the open case: choose, check the formats, import, read the summary. */
export function ImportView() {
  const { caseSummary } = useAppState();
  const imp = useImport();
  const formats = useFormats();
  const { paths, preview, run } = imp.state;

  const planned: PlannedFile[] = preview.status === 'ready'
    ? preview.preview.files.map((f) => ({ path: f.path, name: f.name, size: f.size }))
    : [];
  const fileCount = preview.status === 'ready' ? preview.preview.files.length : null;
  const state = run.status === 'running' ? 'running'
    : paths.length > 0 ? (preview.status === 'loading' ? 'previewing' : 'ready')
    : run.status === 'idle' ? 'choosing' : run.status;

  return (
    <div className="import-view" data-testid="import-view" data-state={state}>
      <header className="view-head">
        <h2>Import evidence</h2>
        {caseSummary && <p className="muted">into <LogText text={baseName(caseSummary.path)} /></p>}
      </header>

      {run.status === 'running' && <ImportProgress run={run} planned={planned} onCancel={imp.cancel} />}
      {run.status === 'done' && <ImportSummary result={run.result} />}
      {run.status === 'error' && (
        <p role="alert" className="error" data-testid="import-error">The import failed: <LogText text={run.message} /></p>
      )}

      {run.status !== 'running' && (
        <>
          <EvidencePicker disabled={false} onPaths={imp.addPaths} />
          {paths.length > 0 && (
            <>
              <ImportPreview
                paths={paths}
                preview={preview}
                formats={formats}
                chosen={imp.state.formats}
                onFormat={imp.setFormat}
                onRemove={imp.removePath}
              />
              <div className="import-actions">
                <TimezoneSelect value={imp.state.timezone} disabled={false} onChange={imp.setTimezone} />
                <button type="button" className="primary" data-testid="start-import" disabled={fileCount === 0} onClick={imp.start}>
                  {fileCount === null ? 'Import' : `Import ${formatCount(fileCount)} file${fileCount === 1 ? '' : 's'}`}
                </button>
                <button type="button" data-testid="clear-import" onClick={imp.clear}>Clear</button>
              </div>
            </>
          )}
          {caseSummary && caseSummary.sources.length > 0 && (
            <section className="case-sources" aria-labelledby="case-sources-heading">
              <h3 id="case-sources-heading">
                Already in this case <span className="muted">· {formatCount(caseSummary.sources.length)} sources, {formatCount(caseSummary.eventCount)} events</span>
              </h3>
              <SourcesTable sources={caseSummary.sources} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
