#!/usr/bin/env node
// Entry point of `npx loupe`. The version check runs before any TypeScript or native module loads.
import './check-node.mjs';

const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
