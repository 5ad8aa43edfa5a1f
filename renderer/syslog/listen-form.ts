import type { RequestOf } from '../../shared/ipc/contract.ts';
import { isValidTimeZone } from '../../shared/time.ts';

export type Transport = 'udp' | 'tcp' | 'tls';
export const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls'];

export interface ListenForm {
  host: string;
  port: string;
  tlsPort: string;
  transports: Record<Transport, boolean>;
  /** TLS: the analyst's certificate and key; both empty means Loupe's self-signed pair. */
  certPath: string;
  keyPath: string;
  /** The analyst's explicit yes to binding an interface other machines can reach. */
  allowNonLoopback: boolean;
  /** IANA zone of times sent without an offset (RFC 3164 local time). */
  timezone: string;
}

export const DEFAULT_FORM: ListenForm = {
  host: '127.0.0.1', port: '5514', tlsPort: '6514', transports: { udp: true, tcp: true, tls: false }, certPath: '', keyPath: '', allowNonLoopback: false, timezone: 'UTC',
};

export function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1' || host === 'localhost';
}

/** The request for the form, or the reason it cannot be sent yet. */
export function startRequest(form: ListenForm): { request: RequestOf<'syslog:start-listener'> } | { problem: string } {
  const host = form.host.trim() === 'localhost' ? '127.0.0.1' : form.host.trim().replace(/^\[(.*)\]$/, '$1');
  const chosen = TRANSPORTS.filter((t) => form.transports[t]);
  if (chosen.length === 0) return { problem: 'Choose at least one transport.' };
  if (!isLoopback(host) && !form.allowNonLoopback) return { problem: `${host} is reachable from other machines: tick the box to listen there anyway.` };
  const ports: Partial<Record<Transport, number>> = {};
  for (const t of chosen) {
    const text = t === 'tls' ? form.tlsPort : form.port;
    const port = Number(text);
    if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65535) return { problem: `${text} is not a port (1–65535).` };
    ports[t] = port;
  }
  const cert = form.certPath.trim();
  const key = form.keyPath.trim();
  if ((cert === '') !== (key === '')) return { problem: 'Give both the certificate and its key, or neither (Loupe then makes a self-signed pair).' };
  const timezone = form.timezone.trim();
  if (timezone !== '' && !isValidTimeZone(timezone)) return { problem: `${timezone} is not a time zone: use an IANA name such as Europe/Berlin, or UTC.` };
  return {
    request: {
      allowNonLoopback: !isLoopback(host),
      ...(timezone !== '' && timezone !== 'UTC' ? { timezone } : {}),
      listeners: chosen.map((t) => ({
        transport: t, host, port: ports[t] ?? 5514,
        ...(t === 'tls' && cert !== '' ? { certPath: cert, keyPath: key } : {}),
      })),
    },
  };
}
