import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS, PUSH_EVENTS } from '../../shared/ipc/contract.ts';
import { openCase } from '../engine/case-db.ts';
import { TRUSTED, useLoupe } from '../test/loupe.ts';
import { useTempDir } from '../test/temp.ts';
import { scriptedDialogs } from './dialogs.ts';
import { createDispatch } from './dispatch.ts';
import { createEngineHandlers, ENGINE_CHANNELS, LIVE_CHANNELS, MAIN_CHANNELS, type Handlers } from './handlers.ts';
import { createCaseHandlers } from './case-handlers.ts';
import { createImportHandlers } from './import-handlers.ts';
import { createEngineIntelHandlers } from './intel-handlers.ts';
import { createMainHandlers } from './main-handlers.ts';
import { createQueryHandlers } from './query-handlers.ts';
import { closeSession, createSession } from './session.ts';

const tempDir = useTempDir();
const makeLoupe = useLoupe();

describe('handler table', () => {
  it('has exactly one handler per contract channel: in main (live syslog included) or in the engine worker, never both', () => {
    const session = createSession();
    const deps = { dataDir: tempDir() };
    const engine = Object.keys(createEngineHandlers(session, deps));
    const t = makeLoupe();
    const main = [...Object.keys(createMainHandlers({ dialogs: scriptedDialogs() })), ...Object.keys(t.loupe.live.handlers())];
    // The engine's table is made of parts; none may answer a channel another part answers.
    const parts = [createCaseHandlers(session, deps), createImportHandlers(session), createQueryHandlers(session), createEngineIntelHandlers(session, deps).handlers].flatMap((t) => Object.keys(t));
    closeSession(session);
    expect(parts.sort()).toEqual([...engine].sort());
    expect(main.filter((c) => engine.includes(c))).toEqual([]);
    expect([...main, ...engine].sort()).toEqual([...CHANNELS].sort());
    expect(main.sort()).toEqual([...MAIN_CHANNELS, ...LIVE_CHANNELS].sort());
    expect(engine.sort()).toEqual([...ENGINE_CHANNELS].sort());
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length);
    expect(Object.keys(t.loupe.handlers).sort()).toEqual([...CHANNELS].sort());
  });

  it('names channels domain:verb-noun and push events domain:noun-changed (or -requested)', () => {
    for (const c of CHANNELS) expect(c).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    for (const e of PUSH_EVENTS) expect(e).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*-(changed|requested)$/);
  });
});

describe('dispatch wrapper', () => {
  it.each([
    ['case:open', { path: '' }, /path: must not be empty/],
    ['case:open', {}, /path: Invalid input/],
    ['case:open', { path: '/x.loupe', extra: 1 }, /Unrecognized key: "extra"/],
    ['case:open', { path: `/${'a'.repeat(5000)}` }, /path: Too big/],
    ['case:open', '/x.loupe', /expected object/],
    ['events:query-page', { filter: {}, limit: 0 }, /limit: Too small/],
    ['events:query-page', { filter: {}, limit: 1001 }, /limit: Too big/],
    ['events:query-page', { filter: { sql: 'DROP TABLE events' }, limit: 10 }, /filter: Unrecognized key: "sql"/],
    ['events:query-page', { filter: { ip: undefined }, limit: 10 }, /filter.ip/],
    ['import:start', { paths: [] }, /paths: give at least one file or folder/],
    ['import:start', { paths: ['/a', ''] }, /paths.1: must not be empty/],
    ['app:get-info', { anything: true }, /request: takes no argument/],
    ['dialog:pick-case', { purpose: 'delete' }, /purpose: Invalid option/],
  ])('rejects %s with %j', async (channel, request, message) => {
    const r = await makeLoupe().dispatch(channel, request, TRUSTED);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(new RegExp(`^invalid request to ${channel}: `));
    expect(r.error).toMatch(message);
    expect(r.error).not.toMatch(/\n\s+at /);
  });

  it('refuses a caller that is not the app page, and a channel that does not exist', async () => {
    const { dispatch } = makeLoupe();
    expect(await dispatch('app:get-info', undefined, { url: 'https://evil.example/' }))
      .toEqual({ ok: false, error: "app:get-info refused: the call did not come from Loupe's own page" });
    expect((await dispatch('app:get-info', undefined, { url: null })).ok).toBe(false);
    expect(await dispatch('case:delete-everything', undefined, TRUSTED)).toEqual({ ok: false, error: 'unknown channel "case:delete-everything"' });
  });

  it("returns an engine failure as its message, with the worker's stack only in the log", async () => {
    const { dispatch, logged } = makeLoupe();
    const r = await dispatch('case:open', { path: '/nowhere/missing.loupe' }, TRUSTED);
    expect(r).toEqual({ ok: false, error: '/nowhere/missing.loupe: no such case file' });
    expect(logged.join('\n')).toMatch(/at .*case-db\.ts/);
    expect(await dispatch('case:list-sources', undefined, TRUSTED)).toEqual({ ok: false, error: 'no case is open' });
    expect(await dispatch('case:open', { path: 'relative.loupe' }, TRUSTED)).toEqual({ ok: false, error: 'give the full path of the case file' });
  });

  it('refuses to pass on an answer that breaks the contract', async () => {
    const { loupe, logged } = makeLoupe();
    const broken = { ...loupe.handlers, 'app:get-info': () => ({ name: 'Loupe', version: '1', secret: 'x' }) } as unknown as Handlers;
    const d = createDispatch(broken, { isTrustedSender: () => true, log: (m) => logged.push(m) });
    expect(await d('app:get-info', undefined, TRUSTED)).toEqual({ ok: false, error: 'app:get-info failed: internal error (its answer did not match the contract)' });
    expect(logged.join('\n')).toMatch(/Unrecognized key: "secret"/);
  });

  it('answers with the value when all is well', async () => {
    const r = await makeLoupe().dispatch('app:get-info', undefined, TRUSTED);
    expect(r).toMatchObject({ ok: true, value: { name: 'Loupe', version: expect.stringMatching(/^\d+\.\d+\.\d+/) } });
  });
});

describe('handlers on a real case, through the engine worker', () => {
  it('opens a case, imports a file in the import worker, and pages through its events', async () => {
    const dir = tempDir();
    const { dispatch, pushed } = makeLoupe();
    const casePath = join(dir, 'case.loupe');
    openCase(casePath, { create: true }).close();
    const log = join(dir, 'access.log');
    const lines = Array.from({ length: 5 }, (_, i) =>
      `192.0.2.${i + 1} - - [10/Oct/2024:13:55:3${i} +0000] "GET /p${i} HTTP/1.1" 200 ${i} "-" "t"`);
    writeFileSync(log, `${lines.join('\n')}\nnot a log line\n`);

    const opened = await dispatch('case:open', { path: casePath }, TRUSTED);
    expect(opened).toMatchObject({ ok: true, value: { path: casePath, eventCount: 0, sources: [] } });

    const imported = await dispatch('import:start', { paths: [log] }, TRUSTED);
    expect(imported).toMatchObject({ ok: true, value: { cancelled: false, lines: 6 } });
    expect(pushed.map((p) => p.event)).toContain('import:progress-changed');
    expect(pushed.filter((p) => p.event === 'import:progress-changed').at(-1)?.payload).toMatchObject({ phase: 'done', lines: 6 });

    const sources = await dispatch('case:list-sources', undefined, TRUSTED);
    expect(sources).toMatchObject({ ok: true, value: [{ name: 'access.log', format: 'apache.access', lines: { total: 6, parsed: 5, unparsed: 1 } }] });
    expect(await dispatch('case:get-current', undefined, TRUSTED)).toMatchObject({ ok: true, value: { eventCount: 6 } });

    const first = await dispatch('events:query-page', { filter: { dataset: 'apache.access' }, limit: 3 }, TRUSTED);
    if (!first.ok) throw new Error(first.error);
    const page1 = first.value as { id: number; ts: number; srcIp: string }[];
    expect(page1.map((e) => e.srcIp)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    const last = page1.at(-1);
    if (!last) throw new Error('empty page');
    const next = await dispatch('events:query-page', {
      filter: { dataset: 'apache.access' }, limit: 3, after: { ts: last.ts, id: last.id },
    }, TRUSTED);
    expect(next.ok && (next.value as { srcIp: string }[]).map((e) => e.srcIp)).toEqual(['192.0.2.4', '192.0.2.5']);

    expect(await dispatch('import:cancel', undefined, TRUSTED)).toEqual({ ok: true, value: { cancelled: false } });
  });

  it('answers the dialogs with what the stand-in was told to answer', async () => {
    const { dispatch, dialogs } = makeLoupe();
    dialogs.answerCase('/cases/a.loupe');
    dialogs.answerEvidence(['/logs/a.log', '/logs/b.log']);
    expect(await dispatch('dialog:pick-case', { purpose: 'create' }, TRUSTED)).toEqual({ ok: true, value: { path: '/cases/a.loupe' } });
    expect(await dispatch('dialog:pick-case', { purpose: 'open' }, TRUSTED)).toEqual({ ok: true, value: { path: null } });
    expect(await dispatch('dialog:pick-evidence', { kind: 'files' }, TRUSTED)).toEqual({ ok: true, value: { paths: ['/logs/a.log', '/logs/b.log'] } });
    expect(await dispatch('dialog:pick-evidence', { kind: 'folder' }, TRUSTED)).toEqual({ ok: true, value: { paths: [] } });
    expect(dialogs.asked).toEqual(['case:create', 'case:open', 'evidence:files', 'evidence:folder']);
  });
});
