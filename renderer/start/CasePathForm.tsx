import { useState, type FormEvent } from 'react';

interface Props {
  id: string;
  label: string;
  action: string;
  placeholder: string;
  busy: boolean;
  onSubmit(path: string): void;
  /** Opens the native dialog; resolves to the chosen path or null. */
  onBrowse(): void;
}

/** A case file path, typed or chosen with the native dialog. */
export function CasePathForm({ id, label, action, placeholder, busy, onSubmit, onBrowse }: Props) {
  const [path, setPath] = useState('');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const trimmed = path.trim();
    if (trimmed !== '') onSubmit(trimmed);
  };
  return (
    <form className="case-path-form" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <div className="input-row">
        <input
          id={id}
          data-testid={`${id}-path`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder={placeholder}
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="button" data-testid={`${id}-browse`} disabled={busy} onClick={onBrowse}>Browse…</button>
        <button type="submit" className="primary" data-testid={`${id}-submit`} disabled={busy || path.trim() === ''}>{action}</button>
      </div>
    </form>
  );
}
