/**
 * The import the analyst is preparing or running. It lives above the views, so leaving the import
 * view does not lose the chosen files, the progress, or the summary.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, type ReactNode } from 'react';
import type { ImportProgressDto, ResponseOf } from '../../shared/ipc/contract.ts';
import { cancelImport, errorMessage, getCurrentCase, onImportProgress, previewImport, startImport } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { applyProgress, type FileProgress } from './progress.ts';

export type PreviewDto = ResponseOf<'import:preview'>;
export type PreviewFile = PreviewDto['files'][number];
export type ImportResultDto = ResponseOf<'import:start'>;

export type PreviewState =
  | { status: 'empty' }
  | { status: 'loading' }
  | { status: 'ready'; preview: PreviewDto }
  | { status: 'error'; message: string };

export interface RunningState {
  status: 'running';
  cancelling: boolean;
  overall: ImportProgressDto | null;
  files: Record<string, FileProgress>;
}

export type RunState =
  | { status: 'idle' }
  | RunningState
  | { status: 'done'; result: ImportResultDto }
  | { status: 'error'; message: string };

export const DEFAULT_TIMEZONE = 'UTC';

interface State {
  paths: string[];
  preview: PreviewState;
  /** Formats the analyst chose instead of the detected one, by file path. */
  formats: Record<string, string>;
  timezone: string;
  run: RunState;
}

type Action =
  | { type: 'add'; paths: string[] }
  | { type: 'remove'; path: string }
  | { type: 'clear' }
  | { type: 'case-changed' }
  | { type: 'preview'; preview: PreviewState }
  | { type: 'format'; path: string; format: string | null }
  | { type: 'timezone'; timezone: string }
  | { type: 'started' }
  | { type: 'progress'; progress: ImportProgressDto }
  | { type: 'cancelling' }
  | { type: 'finished'; run: RunState };

const INITIAL: State = { paths: [], preview: { status: 'empty' }, formats: {}, timezone: DEFAULT_TIMEZONE, run: { status: 'idle' } };

function reduce(state: State, action: Action): State {
  switch (action.type) {
    case 'add': {
      const paths = [...state.paths];
      for (const p of action.paths) if (!paths.includes(p)) paths.push(p);
      return { ...state, paths, run: state.run.status === 'running' ? state.run : { status: 'idle' } };
    }
    case 'remove':
      return { ...state, paths: state.paths.filter((p) => p !== action.path) };
    case 'clear':
      return { ...INITIAL, timezone: state.timezone };
    case 'case-changed':
      return state.run.status === 'running' ? state : { ...state, run: { status: 'idle' } };
    case 'preview':
      return { ...state, preview: action.preview };
    case 'format': {
      const { [action.path]: _, ...rest } = state.formats;
      return { ...state, formats: action.format === null ? rest : { ...rest, [action.path]: action.format } };
    }
    case 'timezone':
      return { ...state, timezone: action.timezone };
    case 'started':
      return { ...state, run: { status: 'running', cancelling: false, overall: null, files: {} } };
    case 'progress':
      if (state.run.status !== 'running') return state;
      return { ...state, run: { ...state.run, overall: action.progress, files: applyProgress(state.run.files, action.progress) } };
    case 'cancelling':
      return state.run.status === 'running' ? { ...state, run: { ...state.run, cancelling: true } } : state;
    case 'finished':
      return action.run.status === 'done'
        ? { ...state, paths: [], preview: { status: 'empty' }, formats: {}, run: action.run }
        : { ...state, run: action.run };
    default:
      return action satisfies never;
  }
}

export interface ImportController {
  state: State;
  running: boolean;
  addPaths(paths: readonly string[]): void;
  removePath(path: string): void;
  clear(): void;
  setFormat(path: string, format: string | null): void;
  setTimezone(timezone: string): void;
  start(): void;
  cancel(): void;
}

const ImportContext = createContext<ImportController | null>(null);

export function ImportProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(reduce, INITIAL);
  const { caseSummary, setCaseSummary, dataChanged } = useAppState();
  const casePath = caseSummary?.path ?? null;

  useEffect(() => onImportProgress((progress) => dispatch({ type: 'progress', progress })), []);

  // Another case: the last import's summary was about the one before.
  useEffect(() => dispatch({ type: 'case-changed' }), [casePath]);

  // A newer list of paths always wins over a preview still on its way for an older one.
  useEffect(() => {
    if (state.paths.length === 0) {
      dispatch({ type: 'preview', preview: { status: 'empty' } });
      return;
    }
    let current = true;
    dispatch({ type: 'preview', preview: { status: 'loading' } });
    previewImport(state.paths).then(
      (preview) => current && dispatch({ type: 'preview', preview: { status: 'ready', preview } }),
      (err: unknown) => current && dispatch({ type: 'preview', preview: { status: 'error', message: errorMessage(err) } }),
    );
    return () => {
      current = false;
    };
  }, [state.paths]);

  const { paths, formats, timezone, run } = state;
  const start = useCallback(() => {
    if (paths.length === 0 || run.status === 'running') return;
    dispatch({ type: 'started' });
    const chosen = Object.entries(formats).map(([path, format]) => ({ path, format }));
    startImport({ paths, timezone, ...(chosen.length > 0 ? { formats: chosen } : {}) })
      .then(
        (result) => dispatch({ type: 'finished', run: { status: 'done', result } }),
        (err: unknown) => dispatch({ type: 'finished', run: { status: 'error', message: errorMessage(err) } }),
      )
      // The session reopens the case after the import; the whole window reads it again.
      .then(() => getCurrentCase())
      .then((summary) => {
        if (summary) setCaseSummary(summary);
        dataChanged();
      }, () => dataChanged());
  }, [paths, formats, timezone, run.status, setCaseSummary, dataChanged]);

  const cancel = useCallback(() => {
    dispatch({ type: 'cancelling' });
    cancelImport().catch(() => {});
  }, []);

  const value = useMemo<ImportController>(() => ({
    state,
    running: state.run.status === 'running',
    addPaths: (paths) => dispatch({ type: 'add', paths: [...paths] }),
    removePath: (path) => dispatch({ type: 'remove', path }),
    clear: () => dispatch({ type: 'clear' }),
    setFormat: (path, format) => dispatch({ type: 'format', path, format }),
    setTimezone: (timezone) => dispatch({ type: 'timezone', timezone }),
    start,
    cancel,
  }), [state, start, cancel]);
  return <ImportContext.Provider value={value}>{children}</ImportContext.Provider>;
}

export function useImport(): ImportController {
  const value = useContext(ImportContext);
  if (!value) throw new Error('useImport outside <ImportProvider>');
  return value;
}
