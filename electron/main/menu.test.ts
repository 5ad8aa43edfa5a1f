import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { APP_COMMANDS } from '../../shared/ipc/schemas.ts';
import type { AppCommand } from '../../shared/ipc/contract.ts';
import { menuTemplate } from './menu.ts';

function items(template: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return template.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? items(i.submenu) : [])]);
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('application menu', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`offers every window command once, with its own shortcut (${platform})`, () => {
      const sent: AppCommand[] = [];
      let about = 0;
      const all = items(menuTemplate({ command: (c) => sent.push(c), about: () => about++ }, { platform, dev: false }));
      for (const i of all) click(i);
      expect([...sent].sort()).toEqual([...APP_COMMANDS].sort());
      expect(all.filter((i) => i.click && i.id !== undefined).map((i) => i.id).sort()).toEqual([...APP_COMMANDS].sort());
      expect(about).toBe(1);
      const accelerators = all.map((i) => i.accelerator).filter((a) => a !== undefined);
      expect(new Set(accelerators).size).toBe(accelerators.length);
      expect(all.filter((i) => i.role === 'quit')).toHaveLength(1);
      expect(all.some((i) => i.role === 'toggleDevTools')).toBe(false);
    });
  }

  it('names the File and View menus as the analyst knows them', () => {
    const template = menuTemplate({ command: () => {}, about: () => {} }, { platform: 'linux', dev: true });
    expect(template.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Help']);
    const file = template[0]?.submenu as MenuItemConstructorOptions[];
    expect(file.filter((i) => i.type !== 'separator').map((i) => i.label))
      .toEqual(['New Case…', 'Open Case…', 'Open Sample Case', 'Import Evidence…', 'Quit']);
    expect(items(template).some((i) => i.role === 'toggleDevTools')).toBe(true);
  });
});
