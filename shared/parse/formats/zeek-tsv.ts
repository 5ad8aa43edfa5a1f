import type { LogFormat } from '../types.ts';

// Placeholder until the parser lands: claims no file and parses nothing.
export const format = {
  id: 'zeek.tsv',
  title: 'zeek.tsv',
  detect: () => 0,
  create: () => ({ parse: () => null }),
} satisfies LogFormat;
