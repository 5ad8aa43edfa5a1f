/**
 * GreyNoise Community API: whether an address scans the Internet (noise) or is a known business
 * service (RIOT), and GreyNoise's classification.
 * https://docs.greynoise.io/reference/getcommunityip — `GET https://api.greynoise.io/v3/community/{ip}`,
 * optional key in the `key` header; 404 when the address is in neither data set; 429 past the limit.
 */
import { z } from 'zod';
import { joined, type ProviderSpec } from './types.ts';

const text = z.string().max(512);
const schema = z.looseObject({
  ip: text.optional(),
  noise: z.boolean().optional(),
  riot: z.boolean().optional(),
  classification: text.optional(),
  name: text.optional(),
  link: text.optional(),
  last_seen: text.optional(),
  message: text.optional(),
});

export const greynoise: ProviderSpec = {
  id: 'greynoise',
  title: 'GreyNoise Community',
  docs: 'https://docs.greynoise.io/reference/getcommunityip',
  defaultBaseUrl: 'https://api.greynoise.io',
  key: { env: 'LOUPE_GREYNOISE_KEY', required: false },
  families: [4],
  minIntervalMs: 1000,
  sends: 'the address, and your API key if you set one',
  request: (ip, key) => ({
    path: `/v3/community/${encodeURIComponent(ip)}`,
    headers: { accept: 'application/json', ...(key ? { key } : {}) },
  }),
  answers: [200, 404],
  read(status, body) {
    const b = schema.parse(body);
    if (status === 404) {
      return { found: false, verdict: 'unknown', summary: b.message ?? 'not seen scanning the Internet, not a known service', detail: { noise: false, riot: false } };
    }
    const c = b.classification?.toLowerCase();
    const verdict = c === 'malicious' ? 'malicious' : c === 'benign' || b.riot === true ? 'benign' : b.noise === true ? 'suspicious' : 'unknown';
    return {
      found: true,
      verdict,
      summary: joined([
        c && `classified ${c}`, b.noise ? 'scans the Internet' : undefined, b.riot ? 'known business service (RIOT)' : undefined,
        b.name && b.name !== 'unknown' ? b.name : undefined, b.last_seen && `last seen ${b.last_seen}`,
      ], '; '),
      detail: {
        classification: b.classification ?? null, noise: b.noise ?? null, riot: b.riot ?? null, name: b.name ?? null,
        lastSeen: b.last_seen ?? null, link: b.link ?? null,
      },
    };
  },
  errorText: (body) => {
    const r = z.object({ message: text }).safeParse(body);
    return r.success ? r.data.message : undefined;
  },
};
