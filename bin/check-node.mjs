// Plain JavaScript that any Node parses: say clearly when Node is too old, before anything
// loads better-sqlite3 (which crashes on Node < 22 instead of failing politely).
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(
    'Loupe needs Node.js 22 or newer; this is Node ' + process.versions.node + '.\n' +
      'Run it through npm (npm start, npx loupe) so the Node pinned in package.json is used,\n' +
      'or install Node 22+ from https://nodejs.org/.\n',
  );
  process.exit(1);
}
