/**
 * The configuration lines that make a host forward its logs to a listener: rsyslog's classic
 * selector lines (`@` UDP, `@@` TCP) and its `omfwd` action for RFC 5424 and TLS, and syslog-ng's
 * destinations. RFC 5424 over octet-counted TCP is the recommended form: full timestamps with a
 * zone, and no framing ambiguity.
 */
import { networkInterfaces } from 'node:os';
import { formatHostPort } from './bind-address.ts';
import type { Transport } from './live-source.ts';

export interface ForwardingLines {
  /** The address senders should use (for a wildcard bind, this machine's first external IPv4 address). */
  target: string;
  rsyslog: string[];
  syslogNg: string[];
}

/** What to tell a sender when the listener is bound to every interface. */
function externalAddress(): string {
  for (const list of Object.values(networkInterfaces())) {
    for (const i of list ?? []) if (!i.internal && i.family === 'IPv4') return i.address;
  }
  return 'THIS-MACHINE';
}

export function forwardingLines(transport: Transport, host: string, port: number, caFile: string | null): ForwardingLines {
  const target = host === '0.0.0.0' || host === '::' ? externalAddress() : host;
  const hostPort = formatHostPort(target, port);
  const ca = caFile ?? '/path/to/loupe-cert.pem';
  switch (transport) {
    case 'udp':
      return {
        target,
        rsyslog: [`*.* @${hostPort}`],
        syslogNg: [
          `destination d_loupe { network("${target}" port(${port}) transport("udp")); };`,
          'log { source(s_src); destination(d_loupe); };',
        ],
      };
    case 'tcp':
      return {
        target,
        rsyslog: [
          `*.* @@${hostPort}`,
          `*.* action(type="omfwd" target="${target}" port="${port}" protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
        ],
        syslogNg: [
          `destination d_loupe { syslog("${target}" port(${port}) transport("tcp")); };`,
          'log { source(s_src); destination(d_loupe); };',
        ],
      };
    case 'tls':
      return {
        target,
        rsyslog: [
          `global(DefaultNetstreamDriverCAFile="${ca}")`,
          `*.* action(type="omfwd" target="${target}" port="${port}" protocol="tcp" StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/certvalid" template="RSYSLOG_SyslogProtocol23Format")`,
        ],
        syslogNg: [
          `destination d_loupe { syslog("${target}" port(${port}) transport("tls") tls(ca-file("${ca}") peer-verify(required-trusted))); };`,
          'log { source(s_src); destination(d_loupe); };',
        ],
      };
    default:
      return assertNever(transport);
  }
}

function assertNever(x: never): never {
  throw new Error(`unknown transport ${String(x)}`);
}
