import { closeSync, openSync, rmSync } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import type { OpenCaseOptions } from '../engine/case-db.ts';
import { listSources } from '../engine/sources.ts';
import type { EngineDeps, Handler } from './handlers.ts';
import { listRecent, rememberCase } from './recent-cases.ts';
import { ensureSampleCase } from './sample-case.ts';
import { openInSession, requireCase, SessionError, summarize, type Session } from './session.ts';

type CaseChannel = 'case:open' | 'case:create' | 'case:open-sample' | 'case:list-recent' | 'case:get-current' | 'case:list-sources';

/** Opening, creating and listing cases. */
export function createCaseHandlers(session: Session, deps: EngineDeps): { [C in CaseChannel]: Handler<C> } {
  let sampleBuild: Promise<string> | null = null;

  const open = async (path: string, options: OpenCaseOptions = {}): Promise<ResponseOf<'case:open'>> => {
    if (session.importing) throw new SessionError('an import is running; cancel it or wait for it before opening another case');
    const summary = openInSession(session, path, options);
    try {
      rememberCase(deps.dataDir, summary.path);
    } catch {
      // The list of recent cases is a convenience; an unwritable data folder must not stop the open.
    }
    return summary;
  };

  return {
    'case:open': ({ path }) => open(absoluteCase(path)),

    'case:create': async ({ path }) => {
      absoluteCase(path);
      if (!/\.loupe$/i.test(path)) throw new SessionError(`a case file's name ends in .loupe (${path} does not)`);
      if (session.importing) throw new SessionError('an import is running; cancel it or wait for it before creating another case');
      claimNewFile(path);
      try {
        return await open(path, { create: true });
      } catch (err) {
        rmSync(path, { force: true });
        throw err;
      }
    },

    // Not added to the recent cases: the start view has its own button for it.
    'case:open-sample': async () => {
      sampleBuild ??= ensureSampleCase(deps.dataDir, {
        importWorkerUrl: session.importWorkerUrl,
        onProgress: (p) => session.push('import:progress-changed', p),
      }).finally(() => {
        sampleBuild = null;
      });
      const samplePath = await sampleBuild;
      return openInSession(session, samplePath);
    },

    'case:list-recent': () => listRecent(deps.dataDir),

    'case:get-current': () => (session.current ? summarize(session.current) : null),

    'case:list-sources': () => listSources(requireCase(session).db),
  };
}

function absoluteCase(path: string): string {
  if (!isAbsolute(path)) throw new SessionError('give the full path of the case file');
  return path;
}

/** Creates the empty file, refusing one that exists (atomically: two creates cannot both win). */
function claimNewFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new SessionError(`${path} already exists: open it, or choose another name for the new case`);
    if (code === 'ENOENT') throw new SessionError(`${dirname(path)}: no such folder`);
    if (code === 'EACCES' || code === 'EPERM') throw new SessionError(`${path}: not allowed to create a file there`);
    throw new SessionError(`${path}: cannot create (${code ?? (err as Error).message})`);
  }
}
