import { useEffect, useState } from 'react';
import type { AlertDto, HistogramDto, ViewFilterDto } from '../../shared/ipc/contract.ts';
import { getHistogram, listAlerts } from '../api.ts';

export type StackBy = 'dataset' | 'level';

export type Loaded<T> =
  | { state: 'loading' }
  | { state: 'error'; error: string }
  | { state: 'ready'; value: T };

function useLoad<T>(key: string, load: () => Promise<T>): Loaded<T> {
  const [result, setResult] = useState<{ key: string; loaded: Loaded<T> }>({ key: '', loaded: { state: 'loading' } });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setResult({ key, loaded: { state: 'ready', value } }),
      (error: unknown) => live && setResult({ key, loaded: { state: 'error', error: error instanceof Error ? error.message : String(error) } }),
    );
    return () => {
      live = false;
    };
    // `key` stands for everything `load` reads.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result.key === key ? result.loaded : { state: 'loading' };
}

/** The histogram of the events the filter matches; the engine picks the bucket size from the range. */
export function useHistogram(filter: ViewFilterDto, stackBy: StackBy, targetBuckets: number, dataVersion: number): Loaded<HistogramDto> {
  const key = JSON.stringify([filter, stackBy, targetBuckets, dataVersion]);
  return useLoad(key, () => getHistogram({ filter, stackBy, targetBuckets }));
}

/** The alerts whose time falls in the range (all of them without one), to mark on the chart. */
export function useAlertMarks(range: { from: number; to: number } | null, dataVersion: number): Loaded<AlertDto[]> {
  const key = JSON.stringify([range, dataVersion]);
  return useLoad(key, () => listAlerts(range ? { from: range.from, to: range.to } : {}));
}
