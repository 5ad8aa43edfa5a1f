import { useState } from 'react';
import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import { deleteApiKey, errorMessage, setApiKey } from '../api.ts';

type Provider = IntelSettingsDto['providers'][number];

interface Props {
  settings: IntelSettingsDto;
  onSettings(s: IntelSettingsDto): void;
  onProblem(message: string | null): void;
  save(change: { providers: ProviderId[] }): void;
}

/** The online providers: each off until turned on, with what a lookup sends and its API key. */
export function ProvidersSection({ settings, onSettings, onProblem, save }: Props) {
  const enabled = settings.providers.filter((p) => p.enabled).map((p) => p.id);
  return (
    <section className="settings-section" data-testid="settings-providers">
      <h3>Online reputation providers</h3>
      <p className="muted">
        Every provider is off until you turn it on here, and even then Loupe asks only when you press a "Look up" button: it
        sends the address (only public ones) and, where the provider needs one, your API key. Keys are kept encrypted by your
        operating system's secret store (Electron's safeStorage) in Loupe's settings folder, never in a case or a log, and are
        never shown again once saved.
      </p>
      <table className="field-table settings-providers">
        <thead><tr><th>provider</th><th>on</th><th>a lookup sends</th><th>API key</th></tr></thead>
        <tbody>
          {settings.providers.map((p) => (
            <tr key={p.id} data-testid="settings-provider" data-provider={p.id} data-enabled={p.enabled}>
              <td>{p.title}<div className="muted small"><code>{p.docs}</code></div></td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`Turn ${p.title} on`}
                  data-testid="settings-provider-enabled"
                  checked={p.enabled}
                  onChange={(e) => save({ providers: e.target.checked ? [...enabled, p.id] : enabled.filter((id) => id !== p.id) })}
                />
              </td>
              <td>{p.sends}</td>
              <td><KeyCell provider={p} onSettings={onSettings} onProblem={onProblem} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function KeyCell({ provider, onSettings, onProblem }: { provider: Provider; onSettings(s: IntelSettingsDto): void; onProblem(m: string | null): void }) {
  const [draft, setDraft] = useState('');
  const [busy, setBusy] = useState(false);
  if (!provider.key) return <span className="muted">none needed</span>;
  const run = (work: Promise<IntelSettingsDto>): void => {
    setBusy(true);
    onProblem(null);
    work.then((s) => {
      setDraft('');
      onSettings(s);
    }, (err: unknown) => onProblem(errorMessage(err))).finally(() => setBusy(false));
  };
  return (
    <div className="key-cell">
      <span data-testid="settings-key-state" data-saved={provider.key.saved}>
        key set: <strong>{provider.key.saved ? 'yes' : 'no'}</strong>{provider.key.required ? '' : ' (optional)'}
      </span>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (draft.trim() !== '') run(setApiKey({ provider: provider.id, key: draft.trim() }));
        }}
      >
        <input
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-label={`${provider.title} API key`}
          data-testid="settings-key-input"
          placeholder={provider.key.saved ? 'replace the key' : 'paste the key'}
          value={draft}
          maxLength={512}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" data-testid="settings-key-save" disabled={busy || draft.trim() === ''}>Save</button>
        {provider.key.saved ? (
          <button type="button" data-testid="settings-key-delete" disabled={busy} onClick={() => run(deleteApiKey(provider.id))}>Delete</button>
        ) : null}
      </form>
    </div>
  );
}
