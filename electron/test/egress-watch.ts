/**
 * Records every attempt of this process to reach the network: TCP/TLS connects (net.Socket's
 * connect, which every client path goes through), UDP sends, DNS lookups, fetch, and the
 * diagnostics channels of node:net, node:http and undici. For the no-egress test; its positive
 * controls show that it sees undici's and fetch's connections.
 */
import dgram from 'node:dgram';
import diagnostics from 'node:diagnostics_channel';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

export interface EgressWatch {
  attempts: string[];
  stop(): void;
}

type Fn = (...args: unknown[]) => unknown;

export function watchEgress(): EgressWatch {
  const attempts: string[] = [];
  const restores: (() => void)[] = [];
  const wrap = (target: object, name: string, describe: (args: unknown[]) => string): void => {
    const holder = target as Record<string, Fn>;
    const original = holder[name] as Fn;
    holder[name] = function (this: unknown, ...args: unknown[]) {
      attempts.push(describe(args));
      return original.apply(this, args);
    };
    restores.push(() => {
      holder[name] = original;
    });
  };
  const where = (args: unknown[]): string => {
    const [a, b] = args;
    const first = Array.isArray(a) ? a[0] : a;
    if (typeof first === 'object' && first !== null) {
      const o = first as { host?: unknown; port?: unknown; path?: unknown };
      return o.path !== undefined ? `path ${String(o.path)}` : `${String(o.host ?? 'localhost')}:${String(o.port)}`;
    }
    return typeof first === 'number' ? `${String(b ?? 'localhost')}:${first}` : String(first);
  };
  wrap(net.Socket.prototype, 'connect', (args) => `tcp connect ${where(args)}`);
  wrap(tls, 'connect', (args) => `tls connect ${where(args)}`);
  wrap(dgram.Socket.prototype, 'send', () => 'udp send');
  wrap(dgram.Socket.prototype, 'connect', (args) => `udp connect ${where(args)}`);
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) wrap(dns, name, (args) => `dns ${name} ${String(args[0])}`);
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6']) wrap(dns.promises, name, (args) => `dns ${name} ${String(args[0])}`);
  wrap(globalThis, 'fetch', (args) => `fetch ${String(args[0])}`);
  const channels: Record<string, (message: unknown) => string> = {
    'net.client.socket': () => 'net.client.socket',
    'http.client.request.start': () => 'http.client.request.start',
    'undici:client:beforeConnect': (m) => {
      const c = (m as { connectParams?: { hostname?: string; port?: string } }).connectParams;
      return `undici connect ${c?.hostname ?? '?'}:${c?.port ?? '?'}`;
    },
  };
  for (const [name, describe] of Object.entries(channels)) {
    const listener = (message: unknown): void => {
      attempts.push(describe(message));
    };
    diagnostics.subscribe(name, listener);
    restores.push(() => diagnostics.unsubscribe(name, listener));
  }
  return {
    attempts,
    stop: () => {
      for (const r of restores.reverse()) r();
    },
  };
}
