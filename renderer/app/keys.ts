/** True when the key goes to a text field (or a control that uses keys), so a shortcut must not fire. */
export function isTyping(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey) return true;
  const t = e.target;
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement;
}

/** Ctrl on Linux and Windows, ⌘ on macOS. */
export function isCommandKey(e: KeyboardEvent): boolean {
  return navigator.platform.startsWith('Mac') ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
}

export const COMMAND_KEY_LABEL = typeof navigator !== 'undefined' && navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl+';
