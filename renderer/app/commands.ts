import { useCallback } from 'react';
import type { AppCommand } from '../../shared/ipc/contract.ts';
import { createCase, errorMessage, openCase, openSampleCase, pickCasePath, pickEvidence } from '../api.ts';
import { useImport } from '../import/import-state.tsx';
import { useAppState } from './app-state.tsx';
import { NAV_VIEWS } from './navigation.ts';

/** What the application menu (its push event) and the window's own keys ask the window to do. */
export type Command = AppCommand | 'show-cases' | 'focus-filter' | 'clear-range';

/** Where the filter bar's text field is found, to focus it. */
export const FILTER_INPUT_SELECTOR = '.filter-bar input[type="text"]';

export function useCommands(onProblem: (message: string | null) => void): (command: Command) => void {
  const { caseSummary, caseOpened, go, setRange } = useAppState();
  const imp = useImport();
  const hasCase = caseSummary !== null;
  const { addPaths, running } = imp;

  return useCallback((command: Command) => {
    const fail = (err: unknown): void => onProblem(errorMessage(err));
    onProblem(null);
    const show = (view: (typeof NAV_VIEWS)[number]['view']): void => {
      if (hasCase) go({ view });
    };
    switch (command) {
      case 'new-case':
      case 'open-case': {
        const purpose = command === 'new-case' ? 'create' : 'open';
        pickCasePath(purpose)
          .then((path) => (path === null ? null : purpose === 'create' ? createCase(path) : openCase(path)))
          .then((summary) => summary && caseOpened(summary), fail);
        return;
      }
      case 'open-sample':
        openSampleCase().then(caseOpened, fail);
        return;
      case 'show-cases':
        go({ view: 'start' });
        return;
      case 'import-evidence':
        if (!hasCase || running) return;
        go({ view: 'import' });
        pickEvidence('files').then((paths) => paths.length > 0 && addPaths(paths), fail);
        return;
      case 'show-timeline': show('timeline'); return;
      case 'show-events': show('events'); return;
      case 'show-alerts': show('alerts'); return;
      case 'show-import': show('import'); return;
      case 'show-live': show('live'); return;
      // Providers, keys and GeoIP files belong to the app, not to a case: shown with or without one.
      case 'show-settings': go({ view: 'settings' }); return;
      case 'focus-filter':
        document.querySelector<HTMLElement>(FILTER_INPUT_SELECTOR)?.focus();
        return;
      case 'clear-range':
        setRange(null);
        return;
      default:
        command satisfies never;
    }
  }, [hasCase, running, go, caseOpened, addPaths, setRange, onProblem]);
}
