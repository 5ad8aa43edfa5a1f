import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = new URL('./cli.ts', import.meta.url).pathname;

/** Runs the CLI on this Node (24 under npx/vitest); async so the cases run side by side. */
function gen(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe.concurrent('gen CLI', () => {
  it('prints usage with --help', async () => {
    const r = await gen('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: npm run gen -- --scenario NAME --lines N --out DIR/);
    expect(r.stdout).toContain('mixed');
  });

  it.each([
    [['--scenario', 'dns', '--lines', '2000', '--out', '/tmp/x'], /unknown scenario "dns"; expected one of web, auth, mixed/],
    [['--scenario', 'web', '--lines', 'many', '--out', '/tmp/x'], /--lines must be a non-negative integer, got "many"/],
    [['--scenario', 'web', '--lines', '0', '--out', '/tmp/x'], /lines must be a positive integer/],
    [['--scenario', 'web', '--lines', '10', '--out', '/tmp/x'], /scenario web needs at least 500 lines/],
    [['--scenario', 'web', '--out', '/tmp/x'], /--lines is required/],
    [['--scenario', 'web', '--lines', '2000'], /--out is required/],
    [['--scenario', 'web', '--lines', '2000', '--out', '/tmp/x', '--start', 'yesterday'], /start is not an ISO 8601 date/],
    [['--scenario', 'web', '--lines', '2000', '--out', '/tmp/x', '--seed=-3'], /--seed must be a non-negative integer, got "-3"/],
    [['--scenario', 'web', '--lines', '2000', '--out', '/tmp/x', '--days', '0.5'], /days must be a number from 1 to 366, got 0.5/],
    [['--scenario', 'web', '--lines', '2000', '--out', '/tmp/x', '--colour'], /Unknown option '--colour'/],
  ])('rejects %j on stderr with a non-zero exit', async (args, message) => {
    const r = await gen(...args);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  });

  it('writes the logs and ground truth', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loupe-gen-cli-'));
    try {
      const r = await gen('--scenario', 'auth', '--lines', '1000', '--seed', '3', '--out', dir);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^auth: auth\.log \d+, syslog \d+; 10 attackers/);
      expect(readdirSync(dir).sort()).toEqual(['auth.log', 'ground-truth.json', 'syslog']);
      const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as { seed: number; scenario: string };
      expect(truth).toMatchObject({ seed: 3, scenario: 'auth' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
