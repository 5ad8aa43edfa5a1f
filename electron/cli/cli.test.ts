import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../test/temp.ts';
import { runCli } from '../test/cli.ts';

const tempDir = useTempDir();
const BIN = new URL('../../bin/loupe.mjs', import.meta.url).pathname;

const run = runCli;

const AUTH = [
  'Mar 14 08:02:11 web01 sshd[811]: Failed password for root from 203.0.113.50 port 40022 ssh2',
  'Mar 14 08:02:13 web01 sshd[811]: Failed password for root from 203.0.113.50 port 40022 ssh2',
  'Mar 14 08:02:15 web01 sshd[811]: Accepted password for alice from 203.0.113.50 port 40022 ssh2',
  'Mar 14 09:10:00 web01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
  'Mar 14 09:12:00 web01 CRON[900]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
].join('\n') + '\n';

describe('loupe CLI', () => {
  it('imports, then shows sources and filtered events, as text and as JSON', async () => {
    const dir = tempDir();
    const log = join(dir, 'auth.log');
    writeFileSync(log, AUTH);
    const casePath = join(dir, 'case.loupe');

    const imported = await run('import', casePath, log, '--tz', 'UTC', '--json');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.out) as { sources: { name: string; lines: { total: number }; sha256: string }[] };
    expect(result.sources[0]).toMatchObject({ name: 'auth.log', lines: { total: 5 } });

    const info = await run('info', casePath);
    expect(info.code).toBe(0);
    expect(info.out).toContain('auth.log — complete');
    expect(info.out).toContain(`sha256    ${result.sources[0]?.sha256}`);
    expect(info.out).toMatch(/lines {5}5 total, 5 parsed, 0 unparsed/);
    expect(info.out).toMatch(/assumed {3}.*year/i);

    const infoJson = JSON.parse((await run('info', casePath, '--json')).out) as { events: number; sources: unknown[] };
    expect(infoJson.events).toBe(5);

    const byIp = JSON.parse((await run('events', casePath, '--ip', '203.0.113.50', '--json')).out) as { user: string }[];
    expect(byIp.map((e) => e.user)).toEqual(['root', 'root', 'alice']);
    const byUser = JSON.parse((await run('events', casePath, '--user', 'alice', '--json')).out) as { dataset: string }[];
    expect(byUser.map((e) => e.dataset)).toEqual(['sshd', 'sudo']);
    const year = new Date().getUTCFullYear() - (Date.UTC(new Date().getUTCFullYear(), 2, 14) > Date.now() + 86_400_000 ? 1 : 0);
    const window = await run('events', casePath, '--from', `${year}-03-14T09:00:00Z`, '--to', `${year}-03-14T09:11:00Z`);
    expect(window.out.trim().split('\n')).toHaveLength(1);
    expect(window.out).toContain('COMMAND=/usr/bin/id');
    const text = JSON.parse((await run('events', casePath, '--text', 'accepted ALICE', '--json')).out) as unknown[];
    expect(text).toHaveLength(1);
    const limited = JSON.parse((await run('events', casePath, '--limit', '2', '--json')).out) as unknown[];
    expect(limited).toHaveLength(2);
    const queried = JSON.parse((await run('events', casePath, '--query', 'dataset:sshd -user:root', '--json')).out) as { user: string }[];
    expect(queried.map((e) => e.user)).toEqual(['alice']);
    const bad = await run('events', casePath, '--query', 'usr:root');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--query: unknown field "usr"; known fields: ip, .* \(at characters 1–3\)/);
  });

  it('prints log text without sending control characters to the terminal', async () => {
    const dir = tempDir();
    const log = join(dir, 'evil.log');
    writeFileSync(log, 'Mar 14 08:02:11 web01 app[1]: \x1b]0;owned\x07\x1b[31mred <script>alert(1)</script>\n');
    const casePath = join(dir, 'case.loupe');
    expect((await run('import', casePath, log)).code).toBe(0);
    const shown = await run('events', casePath);
    expect(shown.out).not.toMatch(/\x1b/);
    expect(shown.out).toContain('\\x1b]0;owned\\x07\\x1b[31mred <script>alert(1)</script>');
  });

  it('says what is wrong and where, with a non-zero exit', async () => {
    const dir = tempDir();
    const casePath = join(dir, 'case.loupe');
    const missing = await run('import', casePath, join(dir, 'nope.log'));
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.err).toMatch(/nope\.log: no such file or folder/);

    expect((await run('info', join(dir, 'absent.loupe'))).err).toMatch(/absent\.loupe: no such case file/);
    const badFormat = await run('import', casePath, dir, '--format', 'word-doc');
    expect(badFormat.code).toBe(1);
    expect(badFormat.err).toMatch(/unknown format "word-doc"/);
    const usage = await run('events', casePath, '--from', 'yesterday-ish');
    expect(usage.code).toBe(2);
    expect(usage.err).toMatch(/--from: "yesterday-ish" is not a time/);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('import', casePath, '--bogus', 'x')).err).toMatch(/Unknown option '--bogus'/);
  });

  it('exits 1 and names the file when a source could not be read completely', async () => {
    const dir = tempDir();
    const gz = join(dir, 'cut.log.gz');
    writeFileSync(gz, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0x4b, 0x4c]));
    const r = await run('import', join(dir, 'case.loupe'), gz);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cut\.log\.gz: gzip data is truncated/);
  });

  it('runs as `loupe` from the command line', () => {
    const out = execFileSync(process.execPath, [BIN, 'formats'], { encoding: 'utf8' });
    expect(out).toMatch(/^apache\.access\s+/m);
    expect(out).toMatch(/^syslog\s+/m);
  });

  it('explains instead of crashing when started on a Node older than 22', (ctx) => {
    const system = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
    const major = Number(/^v(\d+)/.exec(system.stdout ?? '')?.[1] ?? 0);
    if (system.error || major === 0 || major >= 22) {
      ctx.skip(`no Node older than 22 at /usr/bin/node to try (${system.error ? 'not installed' : system.stdout.trim()})`);
      return;
    }
    const r = spawnSync('/usr/bin/node', [BIN, 'info', 'x.loupe'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`Loupe needs Node.js 22 or newer; this is Node ${system.stdout.trim().slice(1)}`);
    expect(r.stderr).not.toMatch(/Segmentation|SyntaxError|at .*\.ts/);
  });
});
