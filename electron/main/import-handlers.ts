import { isAbsolute } from 'node:path';
import { FORMATS } from '../../shared/parse/registry.ts';
import { previewImport } from '../ingest/preview.ts';
import { importInWorker } from '../ingest/run-import.ts';
import type { Handler } from './handlers.ts';
import { SessionError, summarize, withCaseReleased, type Session } from './session.ts';

type ImportChannel = 'formats:list' | 'import:preview' | 'import:start' | 'import:cancel';

/** Choosing formats, previewing and running imports into the open case. */
export function createImportHandlers(session: Session): { [C in ImportChannel]: Handler<C> } {
  return {
    'formats:list': () => FORMATS.map((f) => ({ id: f.id, name: f.title, description: f.description })),

    'import:preview': ({ paths }) => previewImport(absolutePaths(paths), session.importing?.casePath ?? session.current?.path ?? null),

    'import:start': async ({ paths, format, timezone, formats }) => {
      absolutePaths([...paths, ...(formats ?? []).map((f) => f.path)]);
      const result = await withCaseReleased(session, (casePath, signal) => importInWorker(casePath, paths, {
        ...(format !== undefined ? { format } : {}),
        ...(timezone !== undefined ? { timezone } : {}),
        ...(formats !== undefined ? { formats } : {}),
      }, {
        signal,
        onProgress: (p) => session.push('import:progress-changed', p),
        ...(session.importWorkerUrl ? { workerUrl: session.importWorkerUrl } : {}),
      }));
      // Views showing the case (sources, counts, alerts) refresh on these rather than on the answer.
      if (result.sources.length > 0 && session.current) session.push('case:summary-changed', summarize(session.current));
      if (result.detections) session.push('alerts:list-changed', { total: result.detections.alerts });
      return result;
    },

    'import:cancel': () => {
      const running = session.importing;
      running?.abort.abort();
      return { cancelled: running !== null };
    },
  };
}

function absolutePaths(paths: string[]): string[] {
  const relative = paths.find((p) => !isAbsolute(p));
  if (relative !== undefined) throw new SessionError(`give full paths to import (${relative} is relative)`);
  return paths;
}
