import { useState, type FormEvent } from 'react';

/** Opening by typed path until the native file dialog arrives. */
export function OpenCaseForm({ busy, onOpen }: { busy: boolean; onOpen: (path: string) => void }) {
  const [path, setPath] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const trimmed = path.trim();
    if (trimmed !== '') onOpen(trimmed);
  };
  return (
    <form className="open-case" onSubmit={submit}>
      <label htmlFor="case-path">Case file</label>
      <input
        id="case-path"
        data-testid="case-path"
        type="text"
        spellCheck={false}
        autoComplete="off"
        placeholder="/path/to/case.loupe"
        value={path}
        onChange={(e) => setPath(e.target.value)}
      />
      <button type="submit" data-testid="open-case" disabled={busy || path.trim() === ''}>Open</button>
    </form>
  );
}
