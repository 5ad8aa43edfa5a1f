/**
 * The renderer's only door to the main process: typed wrappers over `window.loupe`, which the
 * preload (or, in e2e, the test fixture) builds from the IPC contract. Failures arrive as
 * `{ ok: false, error }` and are thrown here as `ApiError` with the message for the analyst.
 */
import type { LoupeApi, Unsubscribe } from '../shared/ipc/api.ts';
import type {
  AlertDto, AppCommand, CaseSummary, DossierDto, HistogramDto, ImportProgressDto, IpcResult, PushPayloadOf, RequestOf, ResponseOf,
  SourceInfoDto, StoredEventDto, SyslogStatusDto,
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

/** The message to show for a failed call. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---- app and case ----------------------------------------------------------------------------

export const getAppInfo = (): Promise<ResponseOf<'app:get-info'>> => unwrap(bridge().app.getInfo());

export const openCase = (path: string): Promise<CaseSummary> => unwrap(bridge().case.open({ path }));

export const createCase = (path: string): Promise<CaseSummary> => unwrap(bridge().case.create({ path }));

export const openSampleCase = (): Promise<CaseSummary> => unwrap(bridge().case.openSample());

export const listRecentCases = (): Promise<ResponseOf<'case:list-recent'>> => unwrap(bridge().case.listRecent());

export const getCurrentCase = (): Promise<CaseSummary | null> => unwrap(bridge().case.getCurrent());

export const listSources = (): Promise<SourceInfoDto[]> => unwrap(bridge().case.listSources());

// ---- events ----------------------------------------------------------------------------------

export const queryEventsPage = (request: RequestOf<'events:query-page'>): Promise<StoredEventDto[]> =>
  unwrap(bridge().events.queryPage(request));

export const countEvents = (request: RequestOf<'events:count'>): Promise<ResponseOf<'events:count'>> =>
  unwrap(bridge().events.count(request));

export const getEventDetail = (id: number): Promise<ResponseOf<'events:get-detail'>> =>
  unwrap(bridge().events.getDetail({ id }));

export const getHistogram = (request: RequestOf<'events:get-histogram'>): Promise<HistogramDto> =>
  unwrap(bridge().events.getHistogram(request));

// ---- alerts and entities ---------------------------------------------------------------------

export const listAlerts = (request: RequestOf<'alerts:list'> = {}): Promise<AlertDto[]> =>
  unwrap(bridge().alerts.list(request));

export const getAlertDetail = (id: number): Promise<ResponseOf<'alerts:get-detail'>> =>
  unwrap(bridge().alerts.getDetail({ id }));

export const setAlertStatus = (request: RequestOf<'alerts:set-status'>): Promise<AlertDto> =>
  unwrap(bridge().alerts.setStatus(request));

export const getDossier = (request: RequestOf<'entity:get-dossier'>): Promise<DossierDto> =>
  unwrap(bridge().entity.getDossier(request));

// ---- dialogs, formats and import -------------------------------------------------------------

/** The native save/open dialog for a case file; null when the analyst cancelled it. */
export const pickCasePath = async (purpose: 'open' | 'create'): Promise<string | null> =>
  (await unwrap(bridge().dialog.pickCase({ purpose }))).path;

/** The native dialog for evidence; empty when the analyst cancelled it. */
export const pickEvidence = async (kind: 'files' | 'folder'): Promise<string[]> =>
  (await unwrap(bridge().dialog.pickEvidence({ kind }))).paths;

export const listFormats = (): Promise<ResponseOf<'formats:list'>> => unwrap(bridge().formats.list());

export const previewImport = (paths: string[]): Promise<ResponseOf<'import:preview'>> =>
  unwrap(bridge().import.preview({ paths }));

export const startImport = (request: RequestOf<'import:start'>): Promise<ResponseOf<'import:start'>> =>
  unwrap(bridge().import.start(request));

export const cancelImport = (): Promise<ResponseOf<'import:cancel'>> => unwrap(bridge().import.cancel());

// ---- live syslog -----------------------------------------------------------------------------

export const startSyslogListener = (request: RequestOf<'syslog:start-listener'>): Promise<SyslogStatusDto> =>
  unwrap(bridge().syslog.startListener(request));

export const stopSyslogListener = (request: RequestOf<'syslog:stop-listener'> = {}): Promise<SyslogStatusDto> =>
  unwrap(bridge().syslog.stopListener(request));

export const getSyslogStatus = (): Promise<SyslogStatusDto> => unwrap(bridge().syslog.getStatus());

export const onSyslogStatusChanged = (listener: (status: SyslogStatusDto) => void): Unsubscribe =>
  bridge().syslog.onStatusChanged(listener);

// ---- push events -----------------------------------------------------------------------------

export const onImportProgress = (listener: (p: ImportProgressDto) => void): Unsubscribe =>
  bridge().import.onProgressChanged(listener);

export const onCaseChanged = (listener: (summary: CaseSummary) => void): Unsubscribe =>
  bridge().case.onSummaryChanged(listener);

export const onAlertsChanged = (listener: (change: PushPayloadOf<'alerts:list-changed'>) => void): Unsubscribe =>
  bridge().alerts.onListChanged(listener);

// ---- outside the contract --------------------------------------------------------------------

/**
 * The path on disk of a dropped file or folder. Page code cannot learn it from a `File`; the
 * preload answers with Electron's `webUtils.getPathForFile`. Null when the file is not on disk.
 */
export const pathOfDroppedFile = (file: File): string | null => bridge().files.pathOf(file);

export const onCommandRequested = (listener: (command: AppCommand) => void): Unsubscribe =>
  bridge().app.onCommandRequested((p) => listener(p.command));

// ---- IP intelligence -------------------------------------------------------------------------

export const getIpIntel = (ip: string): Promise<ResponseOf<'intel:get-ip'>> => unwrap(bridge().intel.getIp({ ip }));

export const getIpSummaries = (ips: string[]): Promise<ResponseOf<'intel:get-summaries'>> =>
  unwrap(bridge().intel.getSummaries({ ips }));

export const listIntelLists = (): Promise<ResponseOf<'intel:list-lists'>> => unwrap(bridge().intel.listLists());

export const importIntelList = (request: RequestOf<'intel:import-list'>): Promise<ResponseOf<'intel:import-list'>> =>
  unwrap(bridge().intel.importList(request));

export const removeIntelList = (name: string): Promise<ResponseOf<'intel:remove-list'>> =>
  unwrap(bridge().intel.removeList({ name }));

/** The public addresses of every event the filter matches, busiest first, up to the cap. */
export const listPublicIps = (request: RequestOf<'intel:list-public-ips'>): Promise<ResponseOf<'intel:list-public-ips'>> =>
  unwrap(bridge().intel.listPublicIps(request));

export const cancelPublicIps = (): Promise<ResponseOf<'intel:cancel-public-ips'>> => unwrap(bridge().intel.cancelPublicIps());

export const onPublicIpsProgress = (listener: (p: PushPayloadOf<'intel:public-ips-progress-changed'>) => void): Unsubscribe =>
  bridge().intel.onPublicIpsProgressChanged(listener);

export const lookupReputation = (request: RequestOf<'intel:lookup'>): Promise<ResponseOf<'intel:lookup'>> =>
  unwrap(bridge().intel.lookup(request));

export const cancelLookup = (): Promise<ResponseOf<'intel:cancel-lookup'>> => unwrap(bridge().intel.cancelLookup());

export const getIntelSettings = (): Promise<ResponseOf<'intel:get-settings'>> => unwrap(bridge().intel.getSettings());

export const setIntelSettings = (request: RequestOf<'intel:set-settings'>): Promise<ResponseOf<'intel:set-settings'>> =>
  unwrap(bridge().intel.setSettings(request));

/** Saves a provider's API key in the main process; the answer says only whether a key is saved. */
export const setApiKey = (request: RequestOf<'intel:set-key'>): Promise<ResponseOf<'intel:set-key'>> =>
  unwrap(bridge().intel.setKey(request));

export const deleteApiKey = (provider: RequestOf<'intel:delete-key'>['provider']): Promise<ResponseOf<'intel:delete-key'>> =>
  unwrap(bridge().intel.deleteKey({ provider }));

export const onLookupProgress = (listener: (p: PushPayloadOf<'intel:lookup-progress-changed'>) => void): Unsubscribe =>
  bridge().intel.onLookupProgressChanged(listener);
