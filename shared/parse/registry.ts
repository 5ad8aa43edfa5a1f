import type { LogFormat } from './types.ts';
import { format as apacheAccess } from './formats/apache-access.ts';
import { format as apacheError } from './formats/apache-error.ts';
import { format as auditd } from './formats/auditd.ts';
import { format as csv } from './formats/csv.ts';
import { format as jsonl } from './formats/jsonl.ts';
import { format as nginxError } from './formats/nginx-error.ts';
import { format as syslog } from './formats/syslog.ts';
import { format as syslog5424 } from './formats/syslog-5424.ts';
import { format as zeekJson } from './formats/zeek-json.ts';
import { format as zeekTsv } from './formats/zeek-tsv.ts';

/**
 * Every format Loupe reads, one module each in `formats/` (a test checks the folder and this list
 * agree). Order breaks detection ties: specific formats before the general ones they resemble.
 */
export const FORMATS: readonly LogFormat[] = [
  zeekJson, zeekTsv, auditd, syslog5424, syslog, apacheAccess, apacheError, nginxError, jsonl, csv,
];

export function formatById(id: string): LogFormat | undefined {
  return FORMATS.find((f) => f.id === id);
}
