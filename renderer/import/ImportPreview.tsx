import { formatBytes, formatConfidence } from '../format.ts';
import { LogText } from '../events/LogText.tsx';
import type { PreviewFile, PreviewState } from './import-state.tsx';
import type { FormatInfo } from './use-formats.ts';

const UNPARSED = 'unparsed';

interface Props {
  paths: readonly string[];
  preview: PreviewState;
  formats: readonly FormatInfo[];
  chosen: Readonly<Record<string, string>>;
  onFormat(path: string, format: string | null): void;
  onRemove(path: string): void;
}

/** What the import will do: the chosen paths, and per file the detected format, changeable. */
export function ImportPreview({ paths, preview, formats, chosen, onFormat, onRemove }: Props) {
  return (
    <section className="import-preview" aria-labelledby="preview-heading" data-testid="import-preview" data-state={preview.status}>
      <h3 id="preview-heading">Selected</h3>
      <ul className="chosen-paths" data-testid="chosen-paths">
        {paths.map((p) => (
          <li key={p}>
            <code data-testid="chosen-path"><LogText text={p} /></code>
            <button type="button" className="link" aria-label="Remove" title="Remove from this import" onClick={() => onRemove(p)}>×</button>
          </li>
        ))}
      </ul>
      {preview.status === 'loading' && <p role="status" className="muted">Reading the first lines of each file…</p>}
      {preview.status === 'error' && (
        <p role="alert" className="error" data-testid="preview-error">
          No preview: <LogText text={preview.message} />. The import can still run and detects formats itself.
        </p>
      )}
      {preview.status === 'ready' && (
        <>
          <table className="grid preview" data-testid="preview-files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="num">Size</th>
                <th scope="col">Format</th>
                <th scope="col">Confidence</th>
                <th scope="col">First lines</th>
              </tr>
            </thead>
            <tbody>
              {preview.preview.files.map((f) => (
                <PreviewRow key={f.path} file={f} formats={formats} chosen={chosen[f.path]} onFormat={onFormat} />
              ))}
            </tbody>
          </table>
          {preview.preview.files.length === 0 && <p className="empty">No files to import in what was selected.</p>}
          <SkippedList skipped={preview.preview.skipped} />
        </>
      )}
    </section>
  );
}

function PreviewRow({ file, formats, chosen, onFormat }: {
  file: PreviewFile; formats: readonly FormatInfo[]; chosen: string | undefined; onFormat: Props['onFormat'];
}) {
  const confidenceOf = new Map(file.candidates.map((c) => [c.id, c.confidence]));
  if (file.confidence !== null) confidenceOf.set(file.format, file.confidence);
  const label = (id: string, name: string): string => {
    const c = confidenceOf.get(id);
    return c === undefined ? `${id} — ${name}` : `${id} — ${name} (${Math.round(c * 100)} %)`;
  };
  const value = chosen ?? file.format;
  const known = formats.some((f) => f.id === value);
  return (
    <tr data-testid="preview-file" data-path={file.path}>
      <td data-col="name" title={file.path}>
        <LogText text={file.name} />
        {file.compression !== null && <span className="badge">{file.compression}</span>}
      </td>
      <td data-col="size" className="num nowrap">{formatBytes(file.size)}</td>
      <td data-col="format">
        <select
          data-testid="format-select"
          aria-label={`Format of ${file.name}`}
          value={value}
          onChange={(e) => onFormat(file.path, e.target.value === file.format ? null : e.target.value)}
        >
          {value === UNPARSED && <option value={UNPARSED}>none matched (lines kept as unparsed)</option>}
          {!known && value !== UNPARSED && <option value={value}>{value}</option>}
          {formats.map((f) => <option key={f.id} value={f.id}>{label(f.id, f.name)}</option>)}
        </select>
      </td>
      <td data-col="confidence" className="nowrap">
        {chosen !== undefined ? 'chosen by you' : formatConfidence(file.confidence, false)}
      </td>
      <td data-col="sample" className="sample">
        {file.sample.length > 0 && (
          <details>
            <summary><code className="ellipsis"><LogText text={file.sample[0] ?? ''} /></code></summary>
            <pre>{file.sample.map((line, i) => <div key={i}><LogText text={line} /></div>)}</pre>
          </details>
        )}
      </td>
    </tr>
  );
}

export function SkippedList({ skipped }: { skipped: readonly { path: string; reason: string }[] }) {
  if (skipped.length === 0) return null;
  return (
    <div className="skipped" data-testid="skipped">
      <h4>Not imported</h4>
      <ul>
        {skipped.map((s) => (
          <li key={s.path} data-testid="skipped-file">
            <code><LogText text={s.path} /></code>: <LogText text={s.reason} />
          </li>
        ))}
      </ul>
    </div>
  );
}
