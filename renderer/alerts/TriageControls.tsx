import { useEffect, useState } from 'react';
import type { AlertDto } from '../../shared/ipc/contract.ts';
import { LogText } from '../events/LogText.tsx';

export type AlertStatus = AlertDto['status'];
export const STATUSES: readonly { status: AlertStatus; label: string; key: string }[] = [
  { status: 'open', label: 'Open', key: 'o' },
  { status: 'confirmed', label: 'Confirmed', key: 'c' },
  { status: 'false-positive', label: 'False positive', key: 'f' },
];

export type TriageState = { status: 'idle' } | { status: 'saving' } | { status: 'saved' } | { status: 'error'; message: string };

interface Props {
  alert: AlertDto;
  state: TriageState;
  onStatus(status: AlertStatus): void;
  onNote(note: string | null): void;
}

/** The analyst's verdict on an alert and a note on it, saved in the case. */
export function TriageControls({ alert, state, onStatus, onNote }: Props) {
  const [draft, setDraft] = useState(alert.note ?? '');
  // A different alert, or a saved note that came back from the case: show what is stored.
  useEffect(() => setDraft(alert.note ?? ''), [alert.id, alert.note]);
  const changed = draft.trim() !== (alert.note ?? '');

  return (
    <section className="triage" aria-label="Triage" data-testid="triage" data-state={state.status}>
      <div className="segmented" role="group" aria-label="Status">
        {STATUSES.map((s) => (
          <button
            key={s.status}
            type="button"
            data-testid={`status-${s.status}`}
            aria-pressed={alert.status === s.status}
            title={`${s.label} (${s.key.toUpperCase()})`}
            onClick={() => alert.status !== s.status && onStatus(s.status)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <label className="note">
        <span>Note</span>
        <textarea
          data-testid="alert-note"
          rows={2}
          maxLength={10_000}
          placeholder="What you found, what to check next…"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
      </label>
      <div className="button-row">
        <button type="button" data-testid="save-note" disabled={!changed || state.status === 'saving'} onClick={() => onNote(draft.trim() === '' ? null : draft.trim())}>
          Save note
        </button>
        {state.status === 'saving' && <span role="status" className="muted">Saving…</span>}
        {state.status === 'saved' && <span role="status" className="muted" data-testid="triage-saved">Saved in the case</span>}
      </div>
      {state.status === 'error' && (
        <p role="alert" className="error" data-testid="triage-error">Not saved: <LogText text={state.message} /></p>
      )}
    </section>
  );
}
