import { describe, expect, it } from 'vitest';
import { API_SHAPE, buildApi, splitName, type ApiTransport } from './api.ts';
import { CHANNELS, PUSH_EVENTS } from './contract.ts';

function recordingTransport(): ApiTransport & { calls: [string, unknown][]; listeners: Map<string, (p: unknown) => void> } {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, (p: unknown) => void>();
  return {
    calls,
    listeners,
    invoke: (channel, request) => {
      calls.push([channel, request]);
      return Promise.resolve({ ok: true, value: null });
    },
    subscribe: (event, listener) => {
      listeners.set(event, listener);
      return () => listeners.delete(event);
    },
    pathOf: (file) => (file as { name: string }).name === 'on-disk.log' ? '/evidence/on-disk.log' : '',
  };
}

describe('window.loupe shape', () => {
  it('names one function per channel and one subscriber per push event', () => {
    expect(splitName('case:list-sources')).toEqual({ domain: 'case', method: 'listSources' });
    expect(API_SHAPE.calls).toHaveLength(CHANNELS.length);
    expect(API_SHAPE.subscriptions).toHaveLength(PUSH_EVENTS.length);
    expect(API_SHAPE.calls).toContainEqual({ domain: 'events', name: 'queryPage', channel: 'events:query-page' });
    expect(API_SHAPE.subscriptions).toContainEqual({ domain: 'import', name: 'onProgressChanged', event: 'import:progress-changed' });
    expect(() => splitName('Case:Open')).toThrow(/domain:verb-noun/);
  });

  it('builds a frozen object of named functions that forward to the transport', async () => {
    const t = recordingTransport();
    const api = buildApi(API_SHAPE, t);
    await api.case.open({ path: '/a.loupe' });
    await api.app.getInfo();
    expect(t.calls).toEqual([['case:open', { path: '/a.loupe' }], ['app:get-info', undefined]]);
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api.case)).toBe(true);
    expect('invoke' in api).toBe(false);

    const seen: unknown[] = [];
    const off = api.import.onProgressChanged((p) => seen.push(p));
    t.listeners.get('import:progress-changed')?.({ phase: 'done' });
    expect(seen).toEqual([{ phase: 'done' }]);
    off();
    expect(t.listeners.size).toBe(0);
  });

  it('tells the path of a file on disk, and null for one that is not', () => {
    const api = buildApi(API_SHAPE, recordingTransport());
    expect(api.files.pathOf({ name: 'on-disk.log', size: 1 })).toBe('/evidence/on-disk.log');
    expect(api.files.pathOf({ name: 'made-by-the-page.log', size: 1 })).toBeNull();
    expect(Object.isFrozen(api.files)).toBe(true);
  });

  it('is self-contained, so its source can be evaluated on its own (as the e2e fixture does)', () => {
    const rebuilt = new Function(`return (${buildApi.toString()})`)() as typeof buildApi;
    const api = rebuilt(API_SHAPE, recordingTransport());
    expect(Object.keys(api).sort()).toEqual(Object.keys(buildApi(API_SHAPE, recordingTransport())).sort());
  });
});
