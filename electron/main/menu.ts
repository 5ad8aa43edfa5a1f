import type { MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../shared/ipc/contract.ts';

export interface MenuActions {
  /** Hands a command to the window (the `app:command-requested` push event). */
  command: (command: AppCommand) => void;
  about: () => void;
}

// The command is the item's id, so Menu.getApplicationMenu().getMenuItemById('show-alerts') finds it (the launch spec does).
const item = (label: string, command: AppCommand, accelerator: string, actions: MenuActions): MenuItemConstructorOptions =>
  ({ id: command, label, accelerator, click: () => actions.command(command) });

/**
 * The application menu. What needs the page (a dialog, then opening or importing; switching view)
 * is sent to it as a command, so the menu and the page's own buttons take the same path.
 */
export function menuTemplate(actions: MenuActions, options: { platform: NodeJS.Platform; dev: boolean }): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const file: MenuItemConstructorOptions[] = [
    item('New Case…', 'new-case', 'CmdOrCtrl+N', actions),
    item('Open Case…', 'open-case', 'CmdOrCtrl+O', actions),
    item('Open Sample Case', 'open-sample', 'CmdOrCtrl+Shift+O', actions),
    { type: 'separator' },
    item('Import Evidence…', 'import-evidence', 'CmdOrCtrl+I', actions),
  ];
  if (!mac) file.push({ type: 'separator' }, { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' });
  const view: MenuItemConstructorOptions[] = [
    item('Timeline', 'show-timeline', 'CmdOrCtrl+1', actions),
    item('Events', 'show-events', 'CmdOrCtrl+2', actions),
    item('Alerts', 'show-alerts', 'CmdOrCtrl+3', actions),
    item('Import', 'show-import', 'CmdOrCtrl+4', actions),
    item('Live', 'show-live', 'CmdOrCtrl+5', actions),
    item('Settings…', 'show-settings', 'CmdOrCtrl+,', actions),
    { type: 'separator' },
    { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
    ...(options.dev ? [{ type: 'separator' } as const, { role: 'toggleDevTools' } as const] : []),
  ];
  return [
    ...(mac ? [{ label: 'Loupe', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions] : []),
    { label: 'File', submenu: file },
    // Copy and paste work in the page's fields and selections only with these roles on macOS.
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: view },
    { label: 'Help', submenu: [{ label: 'About Loupe', click: () => actions.about() }] },
  ];
}
