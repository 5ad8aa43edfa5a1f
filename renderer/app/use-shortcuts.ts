import { useEffect } from 'react';
import type { Command } from './commands.ts';
import { isCommandKey, isTyping } from './keys.ts';
import { NAV_VIEWS } from './navigation.ts';

const COMMAND_KEYS: Record<string, Command> = {
  ...Object.fromEntries(NAV_VIEWS.map((v) => [v.digit, `show-${v.view}` satisfies Command])),
  o: 'open-case',
  n: 'new-case',
  i: 'import-evidence',
  ',': 'show-settings',
};

/**
 * The window's keys: Ctrl (⌘) with 1–4 for the views, O open, N new case, I import; `/` to the
 * filter bar. In Electron the menu holds the same accelerators and sends the same commands.
 */
export function useShortcuts(run: (command: Command) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      let command: Command | undefined;
      if (isCommandKey(e) && !e.altKey && !e.shiftKey) command = COMMAND_KEYS[e.key.toLowerCase()];
      else if (e.key === '/' && !isTyping(e)) command = 'focus-filter';
      if (!command) return;
      e.preventDefault();
      run(command);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [run]);
}

/** A file dropped anywhere but the drop zone must not make the window navigate to it. */
export function useNoStrayDrops(): void {
  useEffect(() => {
    const stop = (e: DragEvent): void => {
      if (!e.defaultPrevented) {
        e.preventDefault();
        if (e.dataTransfer) e.dataTransfer.dropEffect = 'none';
      }
    };
    window.addEventListener('dragover', stop);
    window.addEventListener('drop', stop);
    return () => {
      window.removeEventListener('dragover', stop);
      window.removeEventListener('drop', stop);
    };
  }, []);
}
