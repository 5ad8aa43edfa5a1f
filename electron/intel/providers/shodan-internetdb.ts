/**
 * Shodan InternetDB: open ports, software, known vulnerabilities and tags Shodan saw on an address;
 * free, no key. https://internetdb.shodan.io/ — `GET https://internetdb.shodan.io/{ip}`;
 * 404 `{"detail": "No information available"}` when Shodan has nothing.
 */
import { z } from 'zod';
import { joined, type ProviderSpec } from './types.ts';

const text = z.string().max(512);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(10_000);
const schema = z.looseObject({
  ip: text,
  ports: list(z.number().int().min(0).max(65535)),
  cpes: list(text),
  hostnames: list(text),
  tags: list(text),
  vulns: list(text),
});
const notFound = z.looseObject({ detail: text });

const MALICIOUS_TAGS = ['compromised', 'malware', 'doublepulsar', 'c2'];
const SUSPICIOUS_TAGS = ['scanner', 'tor', 'proxy', 'vpn', 'honeypot'];
const SHOWN = 10;

const some = (items: readonly (string | number)[]): string =>
  items.length > SHOWN ? `${items.slice(0, SHOWN).join(', ')} and ${items.length - SHOWN} more` : items.join(', ');

export const shodanInternetDb: ProviderSpec = {
  id: 'shodan-internetdb',
  title: 'Shodan InternetDB',
  docs: 'https://internetdb.shodan.io/',
  defaultBaseUrl: 'https://internetdb.shodan.io',
  key: null,
  families: [4],
  minIntervalMs: 1000,
  sends: 'the address',
  request: (ip) => ({ path: `/${encodeURIComponent(ip)}`, headers: { accept: 'application/json' } }),
  answers: [200, 404],
  read(status, body) {
    if (status === 404) return { found: false, verdict: 'unknown', summary: notFound.parse(body).detail, detail: {} };
    const b = schema.parse(body);
    const tags = b.tags.map((t) => t.toLowerCase());
    const verdict = tags.some((t) => MALICIOUS_TAGS.includes(t)) ? 'malicious' : tags.some((t) => SUSPICIOUS_TAGS.includes(t)) ? 'suspicious' : 'unknown';
    return {
      found: true,
      verdict,
      summary: joined([
        b.ports.length > 0 ? `open ports ${some(b.ports)}` : 'no open ports seen', b.tags.length > 0 && `tags ${some(b.tags)}`,
        b.vulns.length > 0 && `${b.vulns.length} known vulnerabilit${b.vulns.length === 1 ? 'y' : 'ies'} (${some(b.vulns)})`,
        b.hostnames.length > 0 && `hosts ${some(b.hostnames)}`,
      ], '; '),
      detail: {
        ports: b.ports.slice(0, 1000), tags: b.tags.slice(0, 100), vulns: b.vulns.slice(0, 1000), cpes: b.cpes.slice(0, 100),
        hostnames: b.hostnames.slice(0, 100),
      },
    };
  },
};
