/**
 * Loopback HTTP servers that answer like the reputation providers' documented APIs, for tests:
 * the same paths, auth headers, bodies and status codes (200, 404 "no data", 401 on a wrong key,
 * 429 with Retry-After), plus scripted misbehaviour (5xx, slow, malformed, huge).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderId } from '../../shared/intel/model.ts';

/** What the fake knows about an address: the fields of the provider's answer. */
export type KnownIps = Record<string, Record<string, unknown>>;

export interface Scripted {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value, or a string sent as is. */
  body?: unknown;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Send this many bytes of JSON-looking filler (chunked, no Content-Length). */
  hugeBytes?: number;
}

export interface SeenRequest {
  at: number;
  /** When the answer was sent (or the connection closed). */
  done: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface FakeProvider {
  url: string;
  requests: SeenRequest[];
  /** Answers for the next requests, in order, before the documented behaviour resumes. */
  script(...answers: Scripted[]): void;
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, url: URL) => Scripted;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Scripted => ({ status, body, headers });

/** The documented answer of each provider, given what it knows and the key it expects. */
function route(provider: ProviderId, known: KnownIps, key: string | undefined): Route {
  switch (provider) {
    case 'abuseipdb':
      return (req, url) => {
        if (url.pathname !== '/api/v2/check') return json(404, { errors: [{ detail: 'Not found', status: 404 }] });
        if (req.headers['key'] !== key) {
          return json(401, { errors: [{ detail: 'Authentication failed. Your API key is either missing, incorrect, or revoked.', status: 401 }] });
        }
        const ip = url.searchParams.get('ipAddress') ?? '';
        const data = known[ip] ?? { abuseConfidenceScore: 0, totalReports: 0, numDistinctUsers: 0, lastReportedAt: null };
        return json(200, { data: { ipAddress: ip, isPublic: true, ipVersion: ip.includes(':') ? 6 : 4, isWhitelisted: false, ...data } });
      };
    case 'ipinfo':
      return (req, url) => {
        if (key !== undefined && req.headers['authorization'] !== `Bearer ${key}`) {
          return json(403, { status: 403, error: { title: 'Wrong token', message: 'Please provide a valid token.' } });
        }
        const ip = decodeURIComponent(url.pathname.replace(/^\/|\/json$/g, ''));
        return json(200, { ip, ...(known[ip] ?? {}) });
      };
    case 'greynoise':
      return (req, url) => {
        if (key !== undefined && req.headers['key'] !== key) return json(401, { message: 'Unauthorized' });
        const ip = decodeURIComponent(url.pathname.replace('/v3/community/', ''));
        const data = known[ip];
        if (!data) return json(404, { ip, noise: false, riot: false, message: 'IP not observed scanning the internet or contained in RIOT data set.' });
        return json(200, { ip, message: 'Success', ...data });
      };
    case 'shodan-internetdb':
      return (_req, url) => {
        const ip = decodeURIComponent(url.pathname.slice(1));
        const data = known[ip];
        if (!data) return json(404, { detail: 'No information available' });
        return json(200, { ip, ports: [], cpes: [], hostnames: [], tags: [], vulns: [], ...data });
      };
  }
}

/** Starts a fake of `provider` on 127.0.0.1 (a free port). */
export async function fakeProvider(provider: ProviderId, known: KnownIps = {}, key?: string): Promise<FakeProvider> {
  const requests: SeenRequest[] = [];
  const queue: Scripted[] = [];
  const documented = route(provider, known, key);
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const seen: SeenRequest = { at: Date.now(), done: 0, method: req.method ?? '', path: req.url ?? '', headers: req.headers };
    requests.push(seen);
    res.on('close', () => {
      seen.done = Date.now();
    });
    const a = queue.shift() ?? documented(req, new URL(req.url ?? '/', 'http://x'));
    if (a.delayMs) await new Promise((r) => setTimeout(r, a.delayMs));
    if (res.destroyed) return;
    if (a.hugeBytes !== undefined) {
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      res.write('{"ip":"');
      for (let sent = 0; sent < a.hugeBytes && !res.destroyed; sent += chunk.length) {
        if (!res.write(chunk)) {
          await new Promise<void>((resolve) => {
            const done = (): void => {
              res.off('drain', done).off('close', done);
              resolve();
            };
            res.on('drain', done).on('close', done);
          });
        }
      }
      res.end('"}');
      return;
    }
    const body = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
    res.writeHead(a.status ?? 200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...a.headers });
    res.end(body);
  };
  const server = createServer((req, res) => {
    void answer(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => queue.push(...answers),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
