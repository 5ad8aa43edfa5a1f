import { readFileSync } from 'node:fs';

/** Loupe's version, recorded on every source and in the case. */
export const LOUPE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
