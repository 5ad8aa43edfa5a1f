import { useEffect, useState } from 'react';
import { aheadWarning } from '../../shared/clock-lead.ts';
import type { SyslogListenerDto, SyslogStatusDto } from '../../shared/ipc/contract.ts';
import { errorMessage, getSyslogStatus, onSyslogStatusChanged, startSyslogListener, stopSyslogListener } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { baseName, formatBytes, formatCount } from '../format.ts';
import { DEFAULT_FORM, isLoopback, startRequest, TRANSPORTS, type ListenForm } from './listen-form.ts';

/** Live syslog into the open case: start and stop listeners, their counters, and the lines that point a host here. */
export function LiveView() {
  const { caseSummary } = useAppState();
  const [status, setStatus] = useState<SyslogStatusDto | null>(null);
  const [form, setForm] = useState<ListenForm>(DEFAULT_FORM);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    getSyslogStatus().then((s) => {
      if (!current) return;
      setStatus(s);
      // The view is left and shown again: the zone chosen last time is the likely one again.
      const zone = lastZone(s, caseSummary?.path);
      if (zone !== null) setForm((f) => (f === DEFAULT_FORM ? { ...f, timezone: zone } : f));
    }, (err: unknown) => current && setProblem(errorMessage(err)));
    const off = onSyslogStatusChanged(setStatus);
    return () => {
      current = false;
      off();
    };
  }, []);

  const live = status?.live === true && status.casePath === caseSummary?.path;
  const shown = status && status.casePath === caseSummary?.path ? status.listeners : [];
  const act = (work: () => Promise<SyslogStatusDto>): void => {
    setBusy(true);
    setProblem(null);
    work().then(setStatus, (err: unknown) => setProblem(errorMessage(err))).finally(() => setBusy(false));
  };
  const start = (): void => {
    const r = startRequest(form);
    if ('problem' in r) setProblem(r.problem);
    else act(() => startSyslogListener(r.request));
  };
  const set = (patch: Partial<ListenForm>): void => setForm((f) => ({ ...f, ...patch }));
  const exposed = !isLoopback(form.host.trim().replace(/^\[(.*)\]$/, '$1'));

  return (
    <div className="live-view" data-testid="live-view" data-state={busy ? 'busy' : live ? 'listening' : 'stopped'}>
      <header className="view-head">
        <h2>Live syslog</h2>
        {caseSummary && <p className="muted">into <LogText text={baseName(caseSummary.path)} />; events and alerts appear in the other views as they arrive</p>}
      </header>

      <form className="live-form" onSubmit={(e) => { e.preventDefault(); start(); }}>
        <fieldset disabled={live || busy}>
          <legend>Listen on</legend>
          <div className="live-fields">
            {TRANSPORTS.map((t) => (
              <label key={t} className="nowrap">
                <input type="checkbox" data-testid={`live-${t}`} checked={form.transports[t]} onChange={(e) => set({ transports: { ...form.transports, [t]: e.target.checked } })} />
                {' '}{t.toUpperCase()}
              </label>
            ))}
            <label className="field">Address
              <input type="text" data-testid="live-host" value={form.host} spellCheck={false} maxLength={45} onChange={(e) => set({ host: e.target.value, allowNonLoopback: false })} />
            </label>
            <label className="field">Port (UDP, TCP)
              <input type="text" inputMode="numeric" data-testid="live-port" value={form.port} size={6} onChange={(e) => set({ port: e.target.value })} />
            </label>
            <label className="field" title="The zone whose local time senders write without an offset (RFC 3164), as an IANA name">Time zone
              <input type="text" data-testid="live-timezone" value={form.timezone} size={14} spellCheck={false} maxLength={64} onChange={(e) => set({ timezone: e.target.value })} />
            </label>
            {form.transports.tls && (
              <>
                <label className="field">TLS port
                  <input type="text" inputMode="numeric" data-testid="live-tls-port" value={form.tlsPort} size={6} onChange={(e) => set({ tlsPort: e.target.value })} />
                </label>
                <label className="field">Certificate (PEM; empty: self-signed)
                  <input type="text" data-testid="live-cert" value={form.certPath} spellCheck={false} onChange={(e) => set({ certPath: e.target.value })} />
                </label>
                <label className="field">Key
                  <input type="text" data-testid="live-key" value={form.keyPath} spellCheck={false} onChange={(e) => set({ keyPath: e.target.value })} />
                </label>
              </>
            )}
          </div>
          {exposed && (
            <p className="notice" data-testid="live-exposed-warning">
              <LogText text={form.host} /> is not loopback: other machines on the network can send to it, and what they send lands in this case.{' '}
              <label><input type="checkbox" data-testid="live-allow-exposed" checked={form.allowNonLoopback} onChange={(e) => set({ allowNonLoopback: e.target.checked })} /> Listen there anyway</label>
            </p>
          )}
        </fieldset>
        <div className="button-row">
          {live
            ? <button type="button" className="primary" data-testid="live-stop" disabled={busy} onClick={() => act(() => stopSyslogListener())}>Stop</button>
            : <button type="submit" className="primary" data-testid="live-start" disabled={busy}>Start listening</button>}
        </div>
      </form>

      {problem !== null && <p role="alert" className="error" data-testid="live-problem"><LogText text={problem} /></p>}
      {status?.backpressure === true && <p className="notice">The case is behind: TCP senders are slowed until it catches up.</p>}

      {shown.map((l) => <ListenerCard key={l.id} listener={l} />)}
    </div>
  );
}

/** The zone of the case's most recently started listener, or null when it has none. */
function lastZone(s: SyslogStatusDto, casePath: string | undefined): string | null {
  if (s.casePath !== casePath) return null;
  const latest = s.listeners.reduce<SyslogListenerDto | null>((a, l) => (a === null || l.startedAt >= a.startedAt ? l : a), null);
  return latest?.timezone ?? null;
}

function ListenerCard({ listener: l }: { listener: SyslogListenerDto }) {
  const t = l.totals;
  return (
    <section className="live-listener" data-testid="live-listener" data-transport={l.transport} data-state={l.state}>
      <h3>
        <LogText text={l.url} /> <span className="muted">· {l.state}</span>
      </h3>
      <p className="muted" data-testid="live-listener-timezone">RFC 3164 times read as <LogText text={l.timezone} /></p>
      {l.problem !== null && <p className="error"><LogText text={l.problem} /></p>}
      {t.ahead > 0 && <ClockAhead listener={l} />}
      <table className="grid live-counters">
        <thead>
          <tr>
            <th>From</th><th>Received</th><th>Stored</th><th>Truncated</th><th>Malformed</th><th>Not UTF-8</th><th>Bytes</th>
            {l.transport === 'udp' ? <th title="Datagrams the kernel dropped (receive buffer full), and those dropped because the writer was behind">Dropped</th> : <th>Connections</th>}
          </tr>
        </thead>
        <tbody>
          <tr data-testid="live-totals">
            <th scope="row">all senders</th>
            <td data-testid="live-received">{formatCount(t.received)}</td>
            <td data-testid="live-stored">{formatCount(t.stored)}</td>
            <td>{formatCount(t.truncated)}</td>
            <td>{formatCount(t.malformed)}</td>
            <td>{formatCount(t.invalidUtf8)}</td>
            <td>{formatBytes(t.bytes)}</td>
            {l.transport === 'udp'
              ? <td data-testid="live-drops">{t.kernelDrops === null ? 'unknown' : formatCount(t.kernelDrops)} kernel · {formatCount(t.queueDrops)} queue</td>
              : <td>{formatCount(t.connections)} ({formatCount(t.openConnections)} open{t.tlsFailures > 0 ? `, ${formatCount(t.tlsFailures)} failed TLS` : ''})</td>}
          </tr>
          {l.peers.map((p) => (
            <tr key={p.address} data-testid="live-peer">
              <td><LogText text={p.address} /></td>
              <td>{formatCount(p.received)}</td>
              <td>{formatCount(p.stored)}</td>
              <td>{formatCount(p.truncated)}</td>
              <td>{formatCount(p.malformed)}</td>
              <td>{formatCount(p.invalidUtf8)}</td>
              <td>{formatBytes(p.bytes)}</td>
              <td>{l.transport === 'udp' ? '' : formatCount(p.connections)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {l.tls && (
        <p className="muted">
          Certificate <LogText text={l.tls.certPath} />{l.tls.selfSigned ? ' (self-signed)' : ''}, valid to <LogText text={l.tls.validTo} />;
          SHA-256 <code><LogText text={l.tls.fingerprint256} /></code>
        </p>
      )}
      <ForwardingLines title="rsyslog (/etc/rsyslog.d/90-loupe.conf)" lines={l.forwarding.rsyslog} testId="live-rsyslog" />
      <ForwardingLines title="syslog-ng" lines={l.forwarding.syslogNg} testId="live-syslog-ng" />
    </section>
  );
}

/** Messages stamped ahead of this machine's clock: why their alerts come late, and from whom. */
function ClockAhead({ listener: l }: { listener: SyslogListenerDto }) {
  const senders = l.peers.filter((p) => p.ahead > 0);
  return (
    <p className="notice" role="status" data-testid="live-clock-ahead">
      <LogText text={aheadWarning(l.totals.ahead, l.totals.maxLeadMs)} />.
      {senders.length > 0 && <>{' '}From {senders.map((p, i) => (
        <span key={p.address}>{i > 0 && ', '}<LogText text={p.address} /> ({formatCount(p.ahead)})</span>
      ))}.</>}
    </p>
  );
}

function ForwardingLines({ title, lines, testId }: { title: string; lines: string[]; testId: string }) {
  const [copied, setCopied] = useState(false);
  const text = lines.join('\n');
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(() => setCopied(true), () => setCopied(false));
  };
  return (
    <div className="forwarding">
      <div className="forwarding-head">
        <span>{title}</span>
        <button type="button" className="link" onClick={copy}>{copied ? 'Copied' : 'Copy'}</button>
      </div>
      <pre data-testid={testId}>{lines.map((l, i) => <span key={i}>{i > 0 && '\n'}<LogText text={l} /></span>)}</pre>
    </div>
  );
}
