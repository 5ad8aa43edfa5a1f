/**
 * ipinfo: location, network owner and (on paid plans) privacy flags of an address.
 * https://ipinfo.io/developers — `GET https://ipinfo.io/{ip}/json`, token in `Authorization: Bearer`;
 * works without a token at a low daily limit; answers 429 when the limit is reached.
 */
import { z } from 'zod';
import { joined, type ProviderSpec } from './types.ts';

const text = z.string().max(512);
const schema = z.looseObject({
  ip: text,
  hostname: text.optional(),
  city: text.optional(),
  region: text.optional(),
  country: text.optional(),
  loc: text.optional(),
  org: text.optional(),
  timezone: text.optional(),
  bogon: z.boolean().optional(),
  anycast: z.boolean().optional(),
  privacy: z.looseObject({
    vpn: z.boolean().optional(), proxy: z.boolean().optional(), tor: z.boolean().optional(),
    relay: z.boolean().optional(), hosting: z.boolean().optional(), service: text.optional(),
  }).optional(),
});

export const ipinfo: ProviderSpec = {
  id: 'ipinfo',
  title: 'ipinfo',
  docs: 'https://ipinfo.io/developers',
  defaultBaseUrl: 'https://ipinfo.io',
  key: { env: 'LOUPE_IPINFO_TOKEN', required: false },
  families: [4, 6],
  minIntervalMs: 250,
  sends: 'the address, and your token if you set one',
  request: (ip, key) => ({
    path: `/${encodeURIComponent(ip)}/json`,
    headers: { accept: 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
  }),
  answers: [200],
  read(_status, body) {
    const b = schema.parse(body);
    const anonymiser = b.privacy && (['tor', 'vpn', 'proxy', 'relay'] as const).filter((k) => b.privacy?.[k] === true);
    return {
      found: b.bogon !== true,
      verdict: anonymiser && anonymiser.length > 0 ? 'suspicious' : 'unknown',
      summary: joined([
        b.bogon ? 'bogon (not a routed address)' : undefined, b.org, joined([b.city, b.region, b.country]),
        b.hostname && `host ${b.hostname}`, anonymiser && anonymiser.length > 0 && `anonymiser: ${anonymiser.join(', ')}`,
        b.privacy?.hosting ? 'hosting' : undefined,
      ], '; '),
      detail: {
        hostname: b.hostname ?? null, city: b.city ?? null, region: b.region ?? null, country: b.country ?? null,
        org: b.org ?? null, loc: b.loc ?? null, timezone: b.timezone ?? null, bogon: b.bogon ?? false,
        anonymiser: anonymiser ?? [],
      },
    };
  },
  errorText: (body) => {
    const r = z.object({ error: z.object({ title: text.optional(), message: text.optional() }) }).safeParse(body);
    return r.success ? joined([r.data.error.title, r.data.error.message], ': ') : undefined;
  },
};
