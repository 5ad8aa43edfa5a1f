/**
 * The native open and save dialogs, as the handlers see them. Electron's live in native-dialogs.ts
 * (main process only); sessions without Electron (unit tests, the e2e fixture) are given a
 * stand-in, since a native dialog cannot open there.
 */
export interface Dialogs {
  /** A case file to open, or where to create one; null when the analyst cancels. */
  pickCase(purpose: 'open' | 'create'): Promise<string | null>;
  /** Evidence files, or one folder; empty when the analyst cancels. */
  pickEvidence(kind: 'files' | 'folder'): Promise<string[]>;
}

/** What a stand-in answers next, as a test sets it. */
export interface ScriptedDialogs extends Dialogs {
  /** The next case dialog answers `path` (null: the analyst cancels). */
  answerCase(path: string | null): void;
  /** The next evidence dialog answers `paths` (empty: the analyst cancels). */
  answerEvidence(paths: string[]): void;
  /** What the dialogs were asked, in order, e.g. `case:open`, `evidence:folder`. */
  readonly asked: string[];
}

/**
 * Stands in for the native dialogs where they cannot run (plain Node: tests, the e2e fixture).
 * Each dialog answers what the test queued for it, or "cancelled" when nothing is queued.
 */
export function scriptedDialogs(): ScriptedDialogs {
  const cases: (string | null)[] = [];
  const evidence: string[][] = [];
  const asked: string[] = [];
  return {
    asked,
    answerCase: (path) => void cases.push(path),
    answerEvidence: (paths) => void evidence.push([...paths]),
    pickCase: (purpose) => {
      asked.push(`case:${purpose}`);
      return Promise.resolve(cases.shift() ?? null);
    },
    pickEvidence: (kind) => {
      asked.push(`evidence:${kind}`);
      return Promise.resolve(evidence.shift() ?? []);
    },
  };
}

/** A new case's path as the save dialog gave it, with `.loupe` added when the analyst left it off. */
export function withCaseExtension(path: string): string {
  return /\.loupe$/i.test(path) ? path : `${path}.loupe`;
}
