import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { classifyIp } from '../../shared/intel/classify.ts';
import type { IntelSettingsDto } from '../../shared/intel/contract.ts';
import type { AlertDto, ResponseOf, ViewFilterDto } from '../../shared/ipc/contract.ts';
import type { ProviderId } from '../../shared/intel/model.ts';
import { cancelPublicIps, errorMessage, getIntelSettings, listPublicIps, onPublicIpsProgress } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { formatCount, formatTime } from '../format.ts';
import { LookupStatus } from './LookupStatus.tsx';
import { useLookup } from './use-lookup.ts';

/** What `intel:lookup` takes at once. */
const MAX_LOOKUP = 10_000;

const addresses = (n: number): string => `${formatCount(n)} public address${n === 1 ? '' : 'es'}`;

/** The addresses to look up, and the sentence saying which they are; null while they are counted. */
interface Targets {
  ips: readonly string[] | null;
  text: ReactNode;
}

/**
 * "Look up these N addresses" with the providers turned on. Its owner finds the addresses, only
 * while the panel is open. Only public addresses are ever sent.
 */
function BulkLookupPanel({ targets, open, onOpenChange }: { targets: Targets; open: boolean; onOpenChange(open: boolean): void }) {
  const { go } = useAppState();
  const [settings, setSettings] = useState<IntelSettingsDto | null>(null);
  const [chosen, setChosen] = useState<Set<ProviderId>>(new Set());
  const lookup = useLookup();
  const { ips, text } = targets;
  useEffect(() => {
    if (open) getIntelSettings().then(setSettings, () => {});
  }, [open]);
  const enabled = settings?.providers.filter((p) => p.enabled && !(p.key?.required && !p.key.saved)) ?? [];
  const picked = enabled.filter((p) => chosen.has(p.id)).map((p) => p.id);
  const sending = ips === null ? 0 : Math.min(ips.length, MAX_LOOKUP);

  return (
    <details className="bulk-lookup" data-testid="bulk-lookup" onToggle={(e) => onOpenChange(e.currentTarget.open)}>
      <summary>Look up…</summary>
      <div className="bulk-lookup-panel">
        {settings && enabled.length === 0 ? (
          <p className="muted">
            No online provider is on (or has the key it needs), so nothing leaves your machine.{' '}
            <button type="button" className="link" onClick={() => go({ view: 'settings' })}>Settings</button>
          </p>
        ) : (
          <>
            <p data-testid="bulk-lookup-count" data-state={ips === null ? 'counting' : 'ready'}>{text}</p>
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
              disabled={lookup.state.running || sending === 0 || picked.length === 0}
              onClick={() => ips && lookup.start(ips.slice(0, MAX_LOOKUP), picked)}
            >
              {sending === 1 ? 'Look up this address' : `Look up these ${formatCount(sending)} addresses`}
            </button>
          </>
        )}
        <LookupStatus state={lookup.state} onCancel={lookup.cancel} testId="bulk-lookup-status" />
      </div>
    </details>
  );
}

type PublicIps = ResponseOf<'intel:list-public-ips'>;
/** What was counted: the filter (`key`) as of a version of the data, and when the count ended. */
type Counted = { key: string; dataVersion: number; at: number } & ({ status: 'ready'; value: PublicIps } | { status: 'error'; message: string });
/** What to count. */
type Wanted = { filter: ViewFilterDto; key: string; dataVersion: number };

/**
 * New data alone (a live feed changes it every second) recounts no sooner than this after the last
 * count ended: on a big case a count reads every event, and restarting it on each change would
 * never let it finish.
 */
const RECOUNT_AFTER_MS = 10_000;

/** Tags each count, so progress from an older one (stopped, or still ending) is not shown. */
let lastSerial = 0;

/**
 * The Events view's "these IPs": the public addresses of every event the filter (query and brushed
 * range) matches, counted by the engine over the whole case, not only the rows the grid has loaded.
 */
export function FilterBulkLookup({ filter, eventsVersion }: { filter: ViewFilterDto; eventsVersion: number }) {
  const [open, setOpen] = useState(false);
  return <BulkLookupPanel targets={useFilterTargets(filter, eventsVersion, open)} open={open} onOpenChange={setOpen} />;
}

function useFilterTargets(filter: ViewFilterDto, dataVersion: number, open: boolean): Targets {
  const key = JSON.stringify(filter);
  const [wanted, setWanted] = useState<Wanted>(() => ({ filter, key, dataVersion }));
  const [counted, setCounted] = useState<Counted | null>(null);
  /** A count in flight, and how far it has read (null until the engine says). */
  const [running, setRunning] = useState<{ share: number | null } | null>(null);
  const pending = useRef(false);
  const countedRef = useRef(counted);
  useEffect(() => {
    countedRef.current = counted;
  }, [counted]);

  // A new filter is counted at once; the engine stops the older request.
  useEffect(() => {
    setWanted((w) => (w.key === key ? w : { filter, key, dataVersion }));
    // `filter` is part of `key`; a change of data alone waits (below).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  useEffect(() => {
    if (!open) return;
    const done = countedRef.current;
    // An error or a stopped count is tried again when the panel opens again.
    if (done?.key === wanted.key && done.dataVersion === wanted.dataVersion && done.status === 'ready' && !done.value.cancelled) return;
    let current = true;
    const serial = ++lastSerial;
    pending.current = true;
    setRunning({ share: null });
    const unsubscribe = onPublicIpsProgress((p) => {
      if (current && p.serial === serial) setRunning({ share: p.scanned / Math.max(p.total, 1) });
    });
    const finish = (c: Counted): void => {
      if (!current) return;
      pending.current = false;
      setRunning(null);
      setCounted(c);
    };
    const { key: k, dataVersion: v } = wanted;
    listPublicIps({ filter: wanted.filter, serial }).then(
      (value) => finish({ key: k, dataVersion: v, at: Date.now(), status: 'ready', value }),
      (err: unknown) => finish({ key: k, dataVersion: v, at: Date.now(), status: 'error', message: errorMessage(err) }),
    );
    return () => {
      current = false;
      unsubscribe();
      setRunning(null);
    };
  }, [open, wanted]);

  // Events changed since the count (and none is running): counted again, at most every
  // RECOUNT_AFTER_MS. Not a count that failed: each new event would fail it again.
  useEffect(() => {
    if (!open || running !== null || counted?.key !== key || counted.status === 'error' || counted.dataVersion === dataVersion) return;
    const timer = setTimeout(() => setWanted({ filter, key, dataVersion }), Math.max(0, counted.at + RECOUNT_AFTER_MS - Date.now()));
    return () => clearTimeout(timer);
    // `filter` is part of `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, running, counted, key, dataVersion]);

  // Closed (or left) while the engine still reads the events: it stops. A new filter needs no
  // cancel, as the engine's newer request stops the older one.
  useEffect(() => {
    if (!open) return;
    return () => {
      if (pending.current) cancelPublicIps().catch(() => {});
      pending.current = false;
    };
  }, [open]);
  const ips = useMemo(() => (counted?.key === key && counted.status === 'ready' ? counted.value.ips.map((r) => r.ip) : null), [counted, key]);
  const percent = running === null || running.share === null ? '' : ` ${Math.floor(running.share * 100)}%`;
  if (counted?.key !== key) return { ips: null, text: `Counting the public addresses of this filter…${percent}` };
  if (counted.status === 'error') return { ips: [], text: <span className="error"><LogText text={counted.message} /></span> };
  const { total, ips: found, cap, cancelled } = counted.value;
  // Older than the data: still what is looked up, until the recount (which the analyst need not wait for) ends.
  const asOf = counted.dataVersion === dataVersion ? '' : `, as of ${formatTime(Math.floor(counted.at / 1000) * 1000)}${running ? `; counting again with the new events…${percent}` : ''}`;
  return {
    ips,
    text: cancelled
      ? `Counting was stopped before the end: ${addresses(total)} so far.`
      : total > found.length
      ? `${addresses(total)} in the events of this filter${asOf}; the ${formatCount(found.length)} in the most events are looked up (the cap is ${formatCount(cap)}).`
      : `${addresses(total)} in the events of this filter${asOf}.`,
  };
}

/** The Alerts view's "these IPs": the public addresses the alerts shown are about, most alerts first. */
export function AlertsBulkLookup({ alerts }: { alerts: readonly AlertDto[] }) {
  const [open, setOpen] = useState(false);
  return <BulkLookupPanel targets={useAlertTargets(alerts, open)} open={open} onOpenChange={setOpen} />;
}

function useAlertTargets(alerts: readonly AlertDto[], open: boolean): Targets {
  const ips = useMemo(() => {
    if (!open) return [];
    const seen = new Map<string, number>();
    for (const a of alerts) {
      if (a.entity.type === 'ip' && classifyIp(a.entity.value)?.category === 'public') seen.set(a.entity.value, (seen.get(a.entity.value) ?? 0) + 1);
    }
    return [...seen].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)).map(([ip]) => ip);
  }, [open, alerts]);
  const cut = ips.length > MAX_LOOKUP ? `; the first ${formatCount(MAX_LOOKUP)} (those with the most alerts) are looked up` : '';
  return { ips, text: `${addresses(ips.length)} in the ${formatCount(alerts.length)} alert${alerts.length === 1 ? '' : 's'} shown${cut}.` };
}
