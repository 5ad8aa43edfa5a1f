// Rewrites golden `<case>.jsonl` files from the current parsers: all of them, or only the formats
// named on the command line (`npm run golden:update -- syslog csv`). Review the diff before committing.
import { writeFileSync } from 'node:fs';
import { listGoldenCases, renderGolden } from './golden.ts';

const only = new Set(process.argv.slice(2));
for (const c of listGoldenCases()) {
  if (only.size > 0 && !only.has(c.formatId)) continue;
  writeFileSync(c.expectedPath, renderGolden(c));
  console.log(`wrote ${c.expectedPath}`);
}
