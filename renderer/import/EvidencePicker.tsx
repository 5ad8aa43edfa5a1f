import { useState, type DragEvent, type FormEvent } from 'react';
import { errorMessage, pathOfDroppedFile, pickEvidence } from '../api.ts';
import { LogText } from '../events/LogText.tsx';
import { parsePastedPaths } from './paths.ts';

/** Where evidence comes from: a drop zone, the native pickers, or pasted paths. */
export function EvidencePicker({ disabled, onPaths }: { disabled: boolean; onPaths: (paths: string[]) => void }) {
  const [over, setOver] = useState(false);
  const [pasted, setPasted] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  const dragOver = (e: DragEvent): void => {
    e.preventDefault();
    e.dataTransfer.dropEffect = disabled ? 'none' : 'copy';
    setOver(true);
  };
  const drop = (e: DragEvent): void => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    const paths: string[] = [];
    const unknown: string[] = [];
    for (const file of Array.from(e.dataTransfer.files)) {
      const path = pathOfDroppedFile(file);
      if (path === null) unknown.push(file.name);
      else paths.push(path);
    }
    setProblem(unknown.length > 0 ? `Loupe could not tell where ${unknown.join(', ')} is on disk; choose it with the buttons instead.` : null);
    if (paths.length > 0) onPaths(paths);
  };
  const pick = (kind: 'files' | 'folder'): void => {
    setProblem(null);
    pickEvidence(kind).then((paths) => {
      if (paths.length > 0) onPaths(paths);
    }, (err: unknown) => setProblem(errorMessage(err)));
  };
  const addPasted = (e: FormEvent): void => {
    e.preventDefault();
    const paths = parsePastedPaths(pasted);
    if (paths.length === 0) return;
    onPaths(paths);
    setPasted('');
  };

  return (
    <section className="evidence-picker" aria-label="Choose evidence">
      <div
        className="drop-zone"
        data-testid="drop-zone"
        data-over={over}
        onDragEnter={dragOver}
        onDragOver={dragOver}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        <p className="drop-title">Drop log files or folders here</p>
        <p className="muted">Plain text or <code>.gz</code>; folders are read recursively. Nothing is changed on disk.</p>
        <div className="button-row">
          <button type="button" data-testid="pick-files" disabled={disabled} onClick={() => pick('files')}>Choose files…</button>
          <button type="button" data-testid="pick-folder" disabled={disabled} onClick={() => pick('folder')}>Choose a folder…</button>
        </div>
      </div>
      <form className="paste-paths" onSubmit={addPasted}>
        <label htmlFor="paste-paths">Or paste paths, one a line</label>
        <textarea
          id="paste-paths"
          data-testid="paste-paths"
          rows={2}
          spellCheck={false}
          placeholder="/var/log/apache2/access.log"
          value={pasted}
          onChange={(e) => setPasted(e.target.value)}
        />
        <button type="submit" data-testid="add-paths" disabled={disabled || parsePastedPaths(pasted).length === 0}>Add</button>
      </form>
      {problem !== null && <p role="alert" className="error" data-testid="picker-error"><LogText text={problem} /></p>}
    </section>
  );
}
