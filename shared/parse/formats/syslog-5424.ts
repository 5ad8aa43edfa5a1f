import type { LogFormat } from '../types.ts';

// Placeholder until the parser lands: claims no file and parses nothing.
export const format = {
  id: 'syslog.rfc5424',
  title: 'syslog.rfc5424',
  detect: () => 0,
  create: () => ({ parse: () => null }),
} satisfies LogFormat;
