import { describe, expect, it } from 'vitest';
import type { ImportProgressDto } from '../../shared/ipc/contract.ts';
import { parsePastedPaths } from './paths.ts';
import { applyProgress, overallFraction, type FileProgress } from './progress.ts';

const event = (over: Partial<ImportProgressDto>): ImportProgressDto => ({
  phase: 'reading', file: '/a.log', fileIndex: 0, fileCount: 2, bytesRead: 0, bytesTotal: 300,
  lines: 0, linesPerSecond: 0, etaSeconds: null, ...over,
});

describe('applyProgress', () => {
  it('splits the running byte total into per-file progress and marks files done as the import moves on', () => {
    let files: Record<string, FileProgress> = {};
    files = applyProgress(files, event({ file: '/a.log', bytesRead: 0 }));
    files = applyProgress(files, event({ file: '/a.log', bytesRead: 80 }));
    expect(files['/a.log']).toEqual({ state: 'reading', bytes: 80, startedAt: 0 });

    files = applyProgress(files, event({ file: '/b.log', fileIndex: 1, bytesRead: 100 }));
    files = applyProgress(files, event({ file: '/b.log', fileIndex: 1, bytesRead: 250 }));
    expect(files['/a.log']?.state).toBe('done');
    expect(files['/b.log']).toEqual({ state: 'reading', bytes: 150, startedAt: 100 });

    files = applyProgress(files, event({ phase: 'done', file: '/b.log', fileIndex: 1, bytesRead: 300 }));
    expect(files['/b.log']).toEqual({ state: 'done', bytes: 200, startedAt: 100 });
    expect(overallFraction(event({ bytesRead: 150 }))).toBe(0.5);
    expect(overallFraction(event({ phase: 'indexing', bytesRead: 150 }))).toBe(1);
  });
});

describe('parsePastedPaths', () => {
  it('takes one path a line, without blank lines or the quotes file managers add', () => {
    expect(parsePastedPaths(' /var/log/a.log \r\n\n"/evidence/with space.log"\n\'/x/y\'\n')).toEqual([
      '/var/log/a.log', '/evidence/with space.log', '/x/y',
    ]);
  });
});
