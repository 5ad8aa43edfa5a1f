import { useCallback, useEffect, useState } from 'react';
import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import type { IpIntel, ListDateSource, ProviderId } from '../../shared/intel/model.ts';
import { errorMessage, getIntelSettings, getIpIntel } from '../api.ts';
import { useAppState, type Entity } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { formatTime } from '../format.ts';
import { LookupStatus } from '../intel/LookupStatus.tsx';
import { useLookup } from '../intel/use-lookup.ts';

const DATE_FROM: Record<ListDateSource, string> = {
  header: "the list's header", analyst: 'given at import', mtime: "the file's modification time",
};

/**
 * What Loupe knows about an address: its class (always, offline), its country and network (from
 * the analyst's .mmdb files), the lists it is on as known at each list's date, and what online
 * providers said and when, with a lookup per provider the analyst turned on.
 */
export function EnrichmentSlot({ entity }: { entity: Entity }) {
  return (
    <section className="dossier-wide dossier-enrichment" data-testid="dossier-enrichment">
      <h4>Enrichment</h4>
      {entity.type === 'ip'
        ? <IpEnrichment ip={entity.value} />
        : <p className="muted">IP intelligence is about addresses: open the dossier of one of this {entity.type}'s IPs.</p>}
    </section>
  );
}

function IpEnrichment({ ip }: { ip: string }) {
  const { dataVersion, go } = useAppState();
  const [intel, setIntel] = useState<{ ip: string; value: IpIntel | null; error: string | null } | null>(null);
  const [settings, setSettings] = useState<IntelSettingsDto | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const lookup = useLookup(reload);

  useEffect(() => {
    let live = true;
    getIpIntel(ip).then(
      (value) => live && setIntel({ ip, value, error: null }),
      (err: unknown) => live && setIntel({ ip, value: null, error: errorMessage(err) }),
    );
    getIntelSettings().then((s) => live && setSettings(s), () => {});
    return () => {
      live = false;
    };
  }, [ip, dataVersion, version]);

  const current = intel?.ip === ip ? intel : null;
  if (!current) return <p className="muted" role="status">Loading…</p>;
  if (current.error !== null) return <p className="error" data-testid="intel-error"><LogText text={current.error} /></p>;
  const d = current.value;
  if (!d) return null;
  const c = d.classification;
  const sendable = c.globallyReachable && (c.category === 'public');
  const enabled = settings?.providers.filter((p) => p.enabled) ?? [];
  const cached = new Map(d.reputation.map((r) => [r.provider, r]));
  const ask = (provider: ProviderId, refresh: boolean) => lookup.start([d.ip], [provider], refresh);

  return (
    <div className="intel" data-testid="intel" data-state="ready">
      <dl className="intel-facts">
        <dt>Class</dt>
        <dd data-testid="intel-class" data-category={c.category}>
          <strong>{c.category}</strong> · {c.name}{c.network ? ` (${c.network}${c.rfc ? `, ${c.rfc}` : ''})` : ''}
          {c.mapped ? <span className="muted"> · an IPv4 address written as IPv6</span> : null}
        </dd>
        <dt>Location</dt>
        <dd data-testid="intel-geo">
          {d.geo ? (
            <>
              {d.geo.country ? <span data-testid="intel-country"><LogText text={`${d.geo.countryName ?? d.geo.country} (${d.geo.country})`} /></span> : 'country unknown'}
              {d.geo.city ? <>, <LogText text={d.geo.city} /></> : null}
              {' · '}
              {d.geo.asn !== null ? <span data-testid="intel-asn">AS{d.geo.asn}{d.geo.asOrg ? <> <LogText text={d.geo.asOrg} /></> : null}</span> : 'network unknown'}
              <span className="muted"> · from <LogText text={d.geo.source} /></span>
            </>
          ) : (
            <span className="muted">
              Not known: {settings && settings.mmdb.length > 0 ? 'the GeoIP databases have no entry for it.' : 'no GeoIP/ASN database is open. '}
              {settings && settings.mmdb.length === 0 ? <button type="button" className="link" onClick={() => go({ view: 'settings' })}>Open one in Settings</button> : null}
            </span>
          )}
        </dd>
        <dt>Lists</dt>
        <dd data-testid="intel-lists">
          {d.lists.length === 0 ? <span className="muted">on none of the case's imported lists</span> : (
            <ul>
              {d.lists.map((h) => (
                <li key={h.listId} data-testid="intel-list-hit" data-list={h.list}>
                  on <strong><LogText text={h.list} /></strong> as known at <span data-testid="intel-list-date">{formatTime(h.describedAt)}</span>
                  <span className="muted"> (date from {DATE_FROM[h.describedAtFrom]})</span> · entry <LogText text={h.entry} />
                  {h.note ? <> · <LogText text={h.note} /></> : null}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>

      <h5>Reputation</h5>
      {d.reputation.length === 0 ? <p className="muted" data-testid="intel-no-reputation">No provider has been asked about this address.</p> : (
        <table className="field-table intel-reputation" data-testid="intel-reputation">
          <thead><tr><th>provider</th><th>verdict</th><th>what it said</th><th>fetched</th></tr></thead>
          <tbody>
            {d.reputation.map((r) => (
              <tr key={r.provider} data-provider={r.provider} data-verdict={r.verdict}>
                <td>{settings?.providers.find((p) => p.id === r.provider)?.title ?? r.provider}</td>
                <td><span className={`verdict verdict-${r.verdict}`} data-testid="intel-verdict">{r.verdict}</span></td>
                <td data-testid="intel-summary"><LogText text={r.summary} /></td>
                <td data-testid="intel-fetched">{formatTime(r.fetchedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <div className="intel-lookups" data-testid="intel-lookups">
        {!sendable ? (
          <p className="muted">Loupe sends only public addresses to online providers; this one stays on your machine.</p>
        ) : enabled.length === 0 ? (
          <p className="muted">
            Online providers are off, so nothing about this address leaves your machine.{' '}
            <button type="button" className="link" data-testid="intel-open-settings" onClick={() => go({ view: 'settings' })}>Turn one on in Settings</button>
          </p>
        ) : enabled.map((p) => {
          const needsKey = p.key?.required === true && !p.key.saved;
          const had = cached.has(p.id);
          return (
            <button
              key={p.id}
              type="button"
              data-testid="intel-lookup"
              data-provider={p.id}
              disabled={lookup.state.running || needsKey}
              title={needsKey ? `${p.title} needs an API key (Settings)` : `Sends ${p.sends} to ${p.title}`}
              onClick={() => ask(p.id, had)}
            >
              {had ? 'Ask' : 'Look up with'} {p.title}{had ? ' again' : ''}
            </button>
          );
        })}
      </div>
      <LookupStatus state={lookup.state} onCancel={lookup.cancel} testId="intel-lookup-status" />
    </div>
  );
}
