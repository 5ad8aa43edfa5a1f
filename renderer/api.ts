/**
 * The renderer's only door to the main process: typed wrappers over `window.loupe`, which the
 * preload (or, in e2e, the test fixture) builds from the IPC contract. Failures arrive as
 * `{ ok: false, error }` and are thrown here as `ApiError` with the message for the analyst.
 */
import type { LoupeApi, Unsubscribe } from '../shared/ipc/api.ts';
import type {
  AlertDto, CaseSummary, DossierDto, HistogramDto, ImportProgressDto, IpcResult, RequestOf, ResponseOf, SourceInfoDto,
  StoredEventDto,
} from '../shared/ipc/contract.ts';

declare global {
  interface Window {
    readonly loupe?: LoupeApi;
  }
}

export class ApiError extends Error {
  override name = 'ApiError';
}

function bridge(): LoupeApi {
  const api = window.loupe;
  if (!api) throw new ApiError('window.loupe is missing: this page only works inside Loupe');
  return api;
}

async function unwrap<T>(call: Promise<IpcResult<T>>): Promise<T> {
  const result = await call;
  if (!result.ok) throw new ApiError(result.error);
  return result.value;
}

export const getAppInfo = (): Promise<ResponseOf<'app:get-info'>> => unwrap(bridge().app.getInfo());

export const openCase = (path: string): Promise<CaseSummary> => unwrap(bridge().case.open({ path }));

export const getCurrentCase = (): Promise<CaseSummary | null> => unwrap(bridge().case.getCurrent());

export const listSources = (): Promise<SourceInfoDto[]> => unwrap(bridge().case.listSources());

export const queryEventsPage = (request: RequestOf<'events:query-page'>): Promise<StoredEventDto[]> =>
  unwrap(bridge().events.queryPage(request));

export const startImport = (request: RequestOf<'import:start'>): Promise<ResponseOf<'import:start'>> =>
  unwrap(bridge().import.start(request));

export const cancelImport = (): Promise<ResponseOf<'import:cancel'>> => unwrap(bridge().import.cancel());

export const onImportProgress = (listener: (p: ImportProgressDto) => void): Unsubscribe =>
  bridge().import.onProgressChanged(listener);

export const onCaseChanged = (listener: (summary: CaseSummary) => void): Unsubscribe =>
  bridge().case.onSummaryChanged(listener);

// ---- the grid, timeline and dossier (renderer/events, timeline, dossier) ----

export const countEvents = (request: RequestOf<'events:count'>): Promise<ResponseOf<'events:count'>> =>
  unwrap(bridge().events.count(request));

export const getEventDetail = (id: number): Promise<ResponseOf<'events:get-detail'>> =>
  unwrap(bridge().events.getDetail({ id }));

export const getHistogram = (request: RequestOf<'events:get-histogram'>): Promise<HistogramDto> =>
  unwrap(bridge().events.getHistogram(request));

export const listAlerts = (request: RequestOf<'alerts:list'> = {}): Promise<AlertDto[]> =>
  unwrap(bridge().alerts.list(request));

export const getDossier = (request: RequestOf<'entity:get-dossier'>): Promise<DossierDto> =>
  unwrap(bridge().entity.getDossier(request));
