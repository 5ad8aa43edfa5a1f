import { useEffect, useMemo, useState } from 'react';
import { classifyIp } from '../../shared/intel/classify.ts';
import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import { getIntelSettings } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { formatCount } from '../format.ts';
import { LookupStatus } from './LookupStatus.tsx';
import { useLookup } from './use-lookup.ts';

/** The distinct public addresses (either end) of the rows: the only ones a provider is ever asked about. */
export function publicAddresses(rows: readonly StoredEventDto[]): string[] {
  const out = new Set<string>();
  for (const r of rows) {
    for (const ip of [r.srcIp, r.dstIp]) if (ip && !out.has(ip) && classifyIp(ip)?.category === 'public') out.add(ip);
  }
  return [...out];
}

/** "Look up these N addresses": the public addresses of the grid's loaded rows, with the providers turned on. */
export function BulkLookup({ rows }: { rows: readonly StoredEventDto[] }) {
  const { go } = useAppState();
  const [open, setOpen] = useState(false);
  const [settings, setSettings] = useState<IntelSettingsDto | null>(null);
  const [chosen, setChosen] = useState<Set<ProviderId>>(new Set());
  const lookup = useLookup();
  const ips = useMemo(() => (open ? publicAddresses(rows) : []), [open, rows]);
  useEffect(() => {
    if (open) getIntelSettings().then(setSettings, () => {});
  }, [open]);
  const enabled = settings?.providers.filter((p) => p.enabled && !(p.key?.required && !p.key.saved)) ?? [];
  const picked = enabled.filter((p) => chosen.has(p.id)).map((p) => p.id);

  return (
    <details className="bulk-lookup" data-testid="bulk-lookup" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Look up…</summary>
      <div className="bulk-lookup-panel">
        {settings && enabled.length === 0 ? (
          <p className="muted">
            No online provider is on (or has the key it needs), so nothing leaves your machine.{' '}
            <button type="button" className="link" onClick={() => go({ view: 'settings' })}>Settings</button>
          </p>
        ) : (
          <>
            <p data-testid="bulk-lookup-count">
              {formatCount(ips.length)} public addresses in the {formatCount(rows.length)} loaded rows of this filter.
            </p>
            {enabled.map((p) => (
              <label key={p.id}>
                <input
                  type="checkbox"
                  data-testid="bulk-lookup-provider"
                  data-provider={p.id}
                  checked={chosen.has(p.id)}
                  onChange={(e) => setChosen((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(p.id);
                    else next.delete(p.id);
                    return next;
                  })}
                />
                {p.title}
              </label>
            ))}
            <button
              type="button"
              data-testid="bulk-lookup-start"
              disabled={lookup.state.running || ips.length === 0 || picked.length === 0}
              onClick={() => lookup.start(ips.slice(0, 10_000), picked)}
            >
              Look up these {formatCount(Math.min(ips.length, 10_000))} addresses
            </button>
          </>
        )}
        <LookupStatus state={lookup.state} onCancel={lookup.cancel} testId="bulk-lookup-status" />
      </div>
    </details>
  );
}
