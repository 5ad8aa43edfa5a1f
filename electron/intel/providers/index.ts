/** The reputation providers Loupe can ask, by id. */
import type { ProviderId } from '../../../shared/intel/model.ts';
import { abuseipdb } from './abuseipdb.ts';
import { greynoise } from './greynoise.ts';
import { ipinfo } from './ipinfo.ts';
import { shodanInternetDb } from './shodan-internetdb.ts';
import type { ProviderSpec } from './types.ts';

export const PROVIDERS: Record<ProviderId, ProviderSpec> = {
  'ipinfo': ipinfo,
  'abuseipdb': abuseipdb,
  'greynoise': greynoise,
  'shodan-internetdb': shodanInternetDb,
};

export type { ProviderSpec };
