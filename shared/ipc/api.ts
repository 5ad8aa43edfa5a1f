/**
 * The shape of `window.loupe`, derived from the contract: `case:list-sources` becomes
 * `loupe.case.listSources()`, the push event `import:progress-changed` becomes
 * `loupe.import.onProgressChanged(listener)` returning an unsubscribe function. Each function is
 * named and fixed; there is no generic `invoke(channel)` for page code to abuse. One function does
 * not cross to the main process: `loupe.files.pathOf(file)`, the path of a dropped file.
 */
import {
  CHANNELS, PUSH_EVENTS, type Channel, type IpcResult, type PushEvent, type PushPayloadOf, type RequestOf, type ResponseOf,
} from './contract.ts';

type DomainOf<N> = N extends `${infer D}:${string}` ? D : never;
type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;
type MethodOf<N> = N extends `${string}:${infer M}` ? CamelCase<M> : never;
type SubscriberOf<N> = `on${Capitalize<MethodOf<N>>}`;

export type ApiCall<C extends Channel> = [RequestOf<C>] extends [undefined]
  ? () => Promise<IpcResult<ResponseOf<C>>>
  : (request: RequestOf<C>) => Promise<IpcResult<ResponseOf<C>>>;
export type Unsubscribe = () => void;
export type ApiSubscribe<E extends PushEvent> = (listener: (payload: PushPayloadOf<E>) => void) => Unsubscribe;

/** A file the page holds (a DOM `File`, from a drop or an `<input type=file>`); shared/ has no DOM types. */
export interface PageFile {
  readonly name: string;
  readonly size: number;
}

export type LoupeApi = {
  readonly [D in DomainOf<Channel | PushEvent>]:
    { readonly [C in Channel as DomainOf<C> extends D ? MethodOf<C> : never]: ApiCall<C> } &
    { readonly [E in PushEvent as DomainOf<E> extends D ? SubscriberOf<E> : never]: ApiSubscribe<E> };
} & {
  readonly files: {
    /**
     * Where a dropped or picked file is on disk, or null when it is not on disk (made by page code).
     * A sandboxed page cannot know this itself; the preload asks Electron (`webUtils.getPathForFile`).
     */
    readonly pathOf: (file: PageFile) => string | null;
  };
};

/** Plain data, so it can be handed to a page as JSON (the e2e fixture does). */
export interface ApiShape {
  calls: { domain: string; name: string; channel: string }[];
  subscriptions: { domain: string; name: string; event: string }[];
}

export function splitName(name: string): { domain: string; method: string } {
  const m = /^([a-z]+):([a-z]+(?:-[a-z]+)*)$/.exec(name);
  if (!m?.[1] || !m[2]) throw new Error(`IPC name "${name}" is not of the form domain:verb-noun`);
  return { domain: m[1], method: m[2].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()) };
}

export const API_SHAPE: ApiShape = {
  calls: CHANNELS.map((channel) => {
    const { domain, method } = splitName(channel);
    return { domain, name: method, channel };
  }),
  subscriptions: PUSH_EVENTS.map((event) => {
    const { domain, method } = splitName(event);
    return { domain, name: `on${method[0]?.toUpperCase() ?? ''}${method.slice(1)}`, event };
  }),
};

/** How the API object reaches the main process: ipcRenderer in the preload, a page binding in e2e. */
export interface ApiTransport {
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(event: string, listener: (payload: unknown) => void): Unsubscribe;
  /** The path of a page's File on disk, '' when it has none (what webUtils.getPathForFile answers). */
  pathOf(file: unknown): string;
}

/**
 * Builds the frozen `window.loupe` object. It must stay self-contained (nothing from outside its
 * body): the e2e fixture injects its source text into the page, so the object under test is built
 * by this very code.
 */
export function buildApi(shape: ApiShape, transport: ApiTransport): LoupeApi {
  const api: Record<string, Record<string, unknown>> = {};
  const domain = (name: string): Record<string, unknown> => (api[name] ??= {});
  for (const c of shape.calls) {
    domain(c.domain)[c.name] = (request?: unknown) => transport.invoke(c.channel, request);
  }
  for (const s of shape.subscriptions) {
    domain(s.domain)[s.name] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${s.domain}.${s.name} needs a function`);
      return transport.subscribe(s.event, (payload) => listener(payload));
    };
  }
  domain('files')['pathOf'] = (file: unknown) => transport.pathOf(file) || null;
  for (const d of Object.values(api)) Object.freeze(d);
  return Object.freeze(api) as unknown as LoupeApi;
}
