import { useEffect, useState } from 'react';
import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import { errorMessage, getIntelSettings, pickEvidence, setIntelSettings } from '../api.ts';
import { LogText } from '../events/LogText.tsx';
import { formatTime } from '../format.ts';
import { ListsSection } from './ListsSection.tsx';
import { ProvidersSection } from './ProvidersSection.tsx';
import './intel.css';

/**
 * The app's IP intelligence settings: online providers (all off until the analyst turns one on),
 * their API keys (only whether one is saved is ever shown), the GeoIP/ASN databases, and the open
 * case's blocklists.
 */
export function SettingsView() {
  const [settings, setSettings] = useState<IntelSettingsDto | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    getIntelSettings().then(setSettings, (err: unknown) => setProblem(errorMessage(err)));
  }, []);
  const apply = (work: Promise<IntelSettingsDto>): void => {
    setProblem(null);
    work.then(setSettings, (err: unknown) => setProblem(errorMessage(err)));
  };
  const save = (change: { mmdb?: string[]; providers?: IntelSettingsDto['providers'][number]['id'][] }): void => {
    if (!settings) return;
    apply(setIntelSettings({
      mmdb: change.mmdb ?? settings.mmdb.map((m) => m.path),
      providers: change.providers ?? settings.providers.filter((p) => p.enabled).map((p) => p.id),
    }));
  };

  return (
    <div className="settings" data-testid="settings" data-state={settings ? 'ready' : 'loading'}>
      <h2>Settings</h2>
      {problem !== null ? <p className="error" role="alert" data-testid="settings-problem"><LogText text={problem} /></p> : null}
      {settings?.problem ? <p className="error" data-testid="settings-file-problem"><LogText text={settings.problem} /></p> : null}
      {settings ? (
        <>
          <ProvidersSection settings={settings} onSettings={setSettings} onProblem={setProblem} save={save} />
          <section className="settings-section" data-testid="settings-mmdb">
            <h3>GeoIP and ASN databases</h3>
            <p className="muted">
              Country, city and network owner come from MaxMind DB (<code>.mmdb</code>) files on your machine; nothing is asked
              online. MaxMind's GeoLite2 City, Country and ASN databases are free but need an account
              (<code>https://www.maxmind.com/en/geolite2/signup</code>; then download them from your account page). DB-IP's
              IP to City/Country/ASN Lite databases need no account (<code>https://db-ip.com/db/lite.php</code>, pick the
              MMDB format). Give a City or Country file and an ASN file; Loupe records their names and build dates in the case.
            </p>
            {settings.mmdb.length === 0 ? <p className="muted" data-testid="settings-mmdb-none">No database opened.</p> : (
              <table className="field-table">
                <thead><tr><th>file</th><th>database</th><th>built</th><th /></tr></thead>
                <tbody>
                  {settings.mmdb.map((m) => (
                    <tr key={m.path} data-testid="settings-mmdb-row" data-path={m.path}>
                      <td><LogText text={m.path} /></td>
                      <td>{m.problem !== null ? <span className="error"><LogText text={m.problem} /></span> : <LogText text={m.databaseType ?? '?'} />}</td>
                      <td>{m.builtAt !== null ? formatTime(m.builtAt) : '—'}</td>
                      <td><button type="button" onClick={() => save({ mmdb: settings.mmdb.map((x) => x.path).filter((p) => p !== m.path) })}>Remove</button></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <button
              type="button"
              data-testid="settings-mmdb-add"
              onClick={() => {
                pickEvidence('files').then((paths) => {
                  if (paths.length > 0) save({ mmdb: [...new Set([...settings.mmdb.map((m) => m.path), ...paths])] });
                }, (err: unknown) => setProblem(errorMessage(err)));
              }}
            >
              Open .mmdb files…
            </button>
          </section>
        </>
      ) : null}
      <ListsSection />
    </div>
  );
}
