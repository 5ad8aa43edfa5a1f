/**
 * AbuseIPDB: reports of abuse from an address.
 * https://docs.abuseipdb.com/#check-endpoint — `GET https://api.abuseipdb.com/api/v2/check?ipAddress=…&maxAgeInDays=90`,
 * key in the `Key` header, `Accept: application/json`; 429 with `Retry-After` when the daily quota is spent.
 */
import { z } from 'zod';
import { joined, type ProviderSpec } from './types.ts';

const text = z.string().max(512);
const schema = z.looseObject({
  data: z.looseObject({
    ipAddress: text,
    isPublic: z.boolean().optional(),
    isWhitelisted: z.boolean().nullable().optional(),
    abuseConfidenceScore: z.number().int().min(0).max(100),
    countryCode: text.nullable().optional(),
    usageType: text.nullable().optional(),
    isp: text.nullable().optional(),
    domain: text.nullable().optional(),
    isTor: z.boolean().optional(),
    totalReports: z.number().int().nonnegative(),
    numDistinctUsers: z.number().int().nonnegative().optional(),
    lastReportedAt: text.nullable().optional(),
  }),
});

export const MAX_AGE_DAYS = 90;

export const abuseipdb: ProviderSpec = {
  id: 'abuseipdb',
  title: 'AbuseIPDB',
  docs: 'https://docs.abuseipdb.com/#check-endpoint',
  defaultBaseUrl: 'https://api.abuseipdb.com',
  key: { env: 'LOUPE_ABUSEIPDB_KEY', required: true },
  families: [4, 6],
  minIntervalMs: 500,
  sends: 'the address and your API key',
  request: (ip, key) => ({
    path: `/api/v2/check?ipAddress=${encodeURIComponent(ip)}&maxAgeInDays=${MAX_AGE_DAYS}`,
    headers: { accept: 'application/json', key: key ?? '' },
  }),
  answers: [200],
  read(_status, body) {
    const d = schema.parse(body).data;
    const score = d.abuseConfidenceScore;
    const verdict = d.isWhitelisted === true ? 'benign' : score >= 75 ? 'malicious' : score >= 25 ? 'suspicious' : 'unknown';
    return {
      found: d.totalReports > 0 || d.isWhitelisted === true,
      verdict,
      summary: joined([
        `abuse confidence ${score}%`,
        d.totalReports > 0
          ? `${d.totalReports} report(s)${d.numDistinctUsers !== undefined ? ` from ${d.numDistinctUsers} user(s)` : ''} in ${MAX_AGE_DAYS} days`
          : `no reports in ${MAX_AGE_DAYS} days`,
        d.lastReportedAt && `last ${d.lastReportedAt}`, d.isWhitelisted ? 'whitelisted' : undefined, d.isTor ? 'Tor exit' : undefined,
        d.isp, d.usageType, d.countryCode,
      ], '; '),
      detail: {
        abuseConfidenceScore: score, totalReports: d.totalReports, numDistinctUsers: d.numDistinctUsers ?? null,
        lastReportedAt: d.lastReportedAt ?? null, isWhitelisted: d.isWhitelisted ?? null, isTor: d.isTor ?? null,
        isp: d.isp ?? null, domain: d.domain ?? null, usageType: d.usageType ?? null, countryCode: d.countryCode ?? null,
      },
    };
  },
  errorText: (body) => {
    const r = z.object({ errors: z.array(z.object({ detail: text.optional() })).min(1) }).safeParse(body);
    return r.success ? r.data.errors[0]?.detail : undefined;
  },
};
