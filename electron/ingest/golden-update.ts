// Rewrites every golden `<case>.jsonl` from the current parsers. Review the diff before committing.
import { writeFileSync } from 'node:fs';
import { listGoldenCases, renderGolden } from './golden.ts';

for (const c of listGoldenCases()) {
  writeFileSync(c.expectedPath, renderGolden(c));
  console.log(`wrote ${c.expectedPath}`);
}
