import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNELS, PUSH_EVENTS, type PushEvent } from '../../shared/ipc/contract.ts';
import { openCase } from '../engine/case-db.ts';
import { createDispatch, validatedPush, type Dispatch } from './dispatch.ts';
import { createHandlers, type Handlers } from './handlers.ts';
import { closeSession, createSession, type Session } from './session.ts';

const APP = 'http://127.0.0.1:4000/index.html';
const trusted = { url: APP };
const isTrustedSender = (url: string): boolean => new URL(url).origin === new URL(APP).origin;

describe('handler table', () => {
  it('has exactly one handler per contract channel and none without a channel', () => {
    const handlers = createHandlers(createSession());
    expect(Object.keys(handlers).sort()).toEqual([...CHANNELS].sort());
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length);
  });

  it('names channels domain:verb-noun and push events domain:noun-changed (or -requested)', () => {
    for (const c of CHANNELS) expect(c).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*$/);
    for (const e of PUSH_EVENTS) expect(e).toMatch(/^[a-z]+:[a-z]+(-[a-z]+)*-(changed|requested)$/);
  });
});

describe('dispatch wrapper', () => {
  const logged: string[] = [];
  let session: Session;
  let dispatch: Dispatch;
  beforeEach(() => {
    logged.length = 0;
    session = createSession();
    dispatch = createDispatch(createHandlers(session), { isTrustedSender, log: (m) => logged.push(m) });
  });
  afterEach(() => closeSession(session));

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
  ])('rejects %s with %j', async (channel, request, message) => {
    const r = await dispatch(channel, request, trusted);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(new RegExp(`^invalid request to ${channel}: `));
    expect(r.error).toMatch(message);
    expect(r.error).not.toMatch(/\n\s+at /);
  });

  it('refuses a caller that is not the app page, and a channel that does not exist', async () => {
    expect(await dispatch('app:get-info', undefined, { url: 'https://evil.example/' }))
      .toEqual({ ok: false, error: "app:get-info refused: the call did not come from Loupe's own page" });
    expect((await dispatch('app:get-info', undefined, { url: null })).ok).toBe(false);
    expect(await dispatch('case:delete-everything', undefined, trusted)).toEqual({ ok: false, error: 'unknown channel "case:delete-everything"' });
  });

  it('returns a failing handler as its message, with the stack only in the log', async () => {
    const r = await dispatch('case:open', { path: '/nowhere/missing.loupe' }, trusted);
    expect(r).toEqual({ ok: false, error: '/nowhere/missing.loupe: no such case file' });
    expect(logged.join('\n')).toMatch(/at .*case-db\.ts/);
    expect(await dispatch('case:list-sources', undefined, trusted)).toEqual({ ok: false, error: 'no case is open' });
    expect(await dispatch('case:open', { path: 'relative.loupe' }, trusted)).toEqual({ ok: false, error: 'give the full path of the case file' });
  });

  it('refuses to pass on an answer that breaks the contract', async () => {
    const broken = { ...createHandlers(session), 'app:get-info': () => ({ name: 'Loupe', version: '1', secret: 'x' }) } as unknown as Handlers;
    const d = createDispatch(broken, { isTrustedSender, log: (m) => logged.push(m) });
    expect(await d('app:get-info', undefined, trusted)).toEqual({ ok: false, error: 'app:get-info failed: internal error (its answer did not match the contract)' });
    expect(logged.join('\n')).toMatch(/Unrecognized key: "secret"/);
  });

  it('answers with the value when all is well', async () => {
    const r = await dispatch('app:get-info', undefined, trusted);
    expect(r).toMatchObject({ ok: true, value: { name: 'Loupe', version: expect.stringMatching(/^\d+\.\d+\.\d+/) } });
  });
});

describe('handlers on a real case', () => {
  let dir: string;
  let session: Session;
  let dispatch: Dispatch;
  const pushed: { event: PushEvent; payload: unknown }[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'loupe-handlers-'));
    pushed.length = 0;
    const log = (m: string): void => { throw new Error(m); };
    session = createSession({ push: validatedPush((event, payload) => pushed.push({ event, payload }), log) });
    dispatch = createDispatch(createHandlers(session), { isTrustedSender, log: () => {} });
  });
  afterEach(() => {
    closeSession(session);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a case, imports a file in the worker, and pages through its events', async () => {
    const casePath = join(dir, 'case.loupe');
    openCase(casePath, { create: true }).close();
    const log = join(dir, 'access.log');
    const lines = Array.from({ length: 5 }, (_, i) =>
      `192.0.2.${i + 1} - - [10/Oct/2024:13:55:3${i} +0000] "GET /p${i} HTTP/1.1" 200 ${i} "-" "t"`);
    writeFileSync(log, `${lines.join('\n')}\nnot a log line\n`);

    const opened = await dispatch('case:open', { path: casePath }, trusted);
    expect(opened).toMatchObject({ ok: true, value: { path: casePath, eventCount: 0, sources: [] } });

    const imported = await dispatch('import:start', { paths: [log] }, trusted);
    expect(imported).toMatchObject({ ok: true, value: { cancelled: false, lines: 6 } });
    expect(pushed.map((p) => p.event)).toContain('import:progress-changed');
    expect(pushed.at(-1)?.payload).toMatchObject({ phase: 'done', lines: 6 });

    const sources = await dispatch('case:list-sources', undefined, trusted);
    expect(sources).toMatchObject({ ok: true, value: [{ name: 'access.log', format: 'apache.access', lines: { total: 6, parsed: 5, unparsed: 1 } }] });
    expect(await dispatch('case:get-current', undefined, trusted)).toMatchObject({ ok: true, value: { eventCount: 6 } });

    const first = await dispatch('events:query-page', { filter: { dataset: 'apache.access' }, limit: 3 }, trusted);
    if (!first.ok) throw new Error(first.error);
    const page1 = first.value as { id: number; ts: number; srcIp: string }[];
    expect(page1.map((e) => e.srcIp)).toEqual(['192.0.2.1', '192.0.2.2', '192.0.2.3']);
    const last = page1.at(-1);
    if (!last) throw new Error('empty page');
    const next = await dispatch('events:query-page', {
      filter: { dataset: 'apache.access' }, limit: 3, after: { ts: last.ts, id: last.id },
    }, trusted);
    expect(next.ok && (next.value as { srcIp: string }[]).map((e) => e.srcIp)).toEqual(['192.0.2.4', '192.0.2.5']);

    expect(await dispatch('import:cancel', undefined, trusted)).toEqual({ ok: true, value: { cancelled: false } });
  });
});
