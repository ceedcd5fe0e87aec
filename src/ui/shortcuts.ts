/**
 * Keyboard shortcuts: one table drives the key handling, the "Keyboard shortcuts" dialog and the
 * README's table (a test keeps them equal). Single keys, like GitHub or Grafana, and only where
 * they cannot get in the way: never while typing in a field, never with Ctrl, Alt or Meta (the
 * browser's and the screen reader's keys), never inside a dialog. They can be turned off
 * (WCAG 2.1.4), for speech input or a screen reader in focus mode.
 *
 * Controls are found by their accessible names (DESIGN.md), the same contract the tests use.
 */
import { tick } from 'svelte';
import type { Section, Session, View } from './session.svelte.ts';

export type ShortcutAction =
  | { kind: 'help' }
  | { kind: 'open' }
  | { kind: 'import' }
  | { kind: 'export' }
  | { kind: 'pipeline' }
  | { kind: 'search' }
  | { kind: 'view'; view: View }
  | { kind: 'section'; section: Section };

export interface Shortcut {
  /** `KeyboardEvent.key`; letters match either case. */
  key: string;
  description: string;
  action: ShortcutAction;
}

/** The run area's tabs, in the order App shows them; a tab's digit key is its position. */
export const RUN_TABS: readonly { id: View; label: string }[] = [
  { id: 'stats', label: 'Stats' },
  { id: 'charts', label: 'Charts' },
  { id: 'graph', label: 'Graph' },
  { id: 'journeys', label: 'Journeys' },
  { id: 'errors', label: 'Errors' },
  { id: 'events', label: 'Events' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'processors', label: 'Processors' },
];

export const SHORTCUTS: readonly Shortcut[] = [
  { key: '?', description: 'Show the keyboard shortcuts', action: { kind: 'help' } },
  { key: 'o', description: 'Open a log file', action: { kind: 'open' } },
  { key: 'i', description: 'Import a report', action: { kind: 'import' } },
  { key: 'e', description: 'Export the report of the run shown', action: { kind: 'export' } },
  { key: 'p', description: 'Edit the pipeline config', action: { kind: 'pipeline' } },
  { key: '/', description: 'Search the list shown (Journeys, Errors, Events)', action: { kind: 'search' } },
  ...RUN_TABS.map(({ id, label }, i): Shortcut => ({ key: String(i + 1), description: `${label} tab`, action: { kind: 'view', view: id } })),
  { key: 'a', description: 'Analyze: the run and its tabs', action: { kind: 'section', section: 'analyze' } },
  { key: 'h', description: 'History of runs', action: { kind: 'section', section: 'history' } },
  { key: 's', description: 'Settings', action: { kind: 'section', section: 'settings' } },
];

/** Keys that work where the focus is, handled by the focused control itself; listed for completeness. */
export const FOCUS_KEYS: readonly { keys: string; description: string }[] = [
  { keys: 'Tab, Shift+Tab', description: 'Next or previous control' },
  { keys: '← →, Home, End', description: 'On a tab: previous, next, first, last tab' },
  { keys: 'Enter, Space', description: 'Press the focused button; on the levels chart, “Buckets as a table” has a button per bar' },
  { keys: 'Escape', description: 'Close a dialog; back out of a delete confirmation' },
];

const BY_KEY = new Map(SHORTCUTS.map((s) => [s.key, s]));

/** Inputs that take no typing: a single key pressed on them is a shortcut. */
const UNTYPED_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color', 'image']);

/** Where a key press is text, or belongs to a dialog: no shortcut there. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  if (target.closest('dialog')) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !UNTYPED_INPUTS.has(target.type);
  return target.closest('[contenteditable]:not([contenteditable="false"])') !== null;
}

/** The shortcut a key press means, or null. */
export function shortcutFor(event: KeyboardEvent): Shortcut | null {
  // A held key repeats: one export or one dialog per press, not one per repeat.
  if (event.defaultPrevented || event.isComposing || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return null;
  if (isTypingTarget(event.target)) return null;
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return BY_KEY.get(key) ?? null;
}

export interface ShortcutContext {
  session: Session;
  /** Opens the "Keyboard shortcuts" dialog. */
  showHelp: () => void;
}

/** Handles a key press on the page; returns whether it was a shortcut. */
export function handleShortcutKey(event: KeyboardEvent, context: ShortcutContext): boolean {
  const shortcut = shortcutFor(event);
  if (!shortcut) return false;
  // Also keeps "/" from being typed into the search field it focuses.
  event.preventDefault();
  void runShortcut(shortcut.action, context);
  return true;
}

export async function runShortcut(action: ShortcutAction, { session, showHelp }: ShortcutContext): Promise<void> {
  switch (action.kind) {
    case 'help':
      return showHelp();
    case 'open':
      // A click, as the user's own would be: it opens the browser's file picker.
      return labelled('Open log file')?.click();
    case 'import':
      return labelled('Import report')?.click();
    case 'export':
      return session.exportReport();
    case 'view':
      session.showSection('analyze');
      return session.show(action.view);
    case 'section':
      // History and Settings exist only where the browser keeps data (App hides them otherwise).
      if (action.section !== 'analyze' && !session.library) return;
      return session.showSection(action.section);
    case 'pipeline':
      session.showSection('analyze');
      await tick();
      return labelled('Pipeline config')?.focus();
    case 'search':
      session.showSection('analyze');
      await tick();
      return document.querySelector<HTMLInputElement>('[role="tabpanel"] input[type="search"]')?.focus();
  }
}

/** The field whose label starts with `name`. */
function labelled(name: string): HTMLInputElement | HTMLTextAreaElement | undefined {
  const fields = document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea');
  return [...fields].find((field) => [...(field.labels ?? [])].some((label) => label.textContent?.trim().startsWith(name)));
}

/** How a key is written in the dialog and the README. */
export function keyLabel(key: string): string {
  return key === ' ' ? 'Space' : key;
}

/** The README's table of shortcuts (between `<!-- shortcuts:start -->` and `<!-- shortcuts:end -->`). */
export function shortcutsMarkdown(): string {
  const rows = SHORTCUTS.map((s) => `| <kbd>${keyLabel(s.key)}</kbd> | ${s.description} |`);
  const focus = FOCUS_KEYS.map((k) => `| ${k.keys} | ${k.description} |`);
  return ['| Key | Does |', '| --- | --- |', ...rows, '', 'Where the focus is:', '', '| Keys | Does |', '| --- | --- |', ...focus, ''].join('\n');
}

const MARK_START = '<!-- shortcuts:start -->';
const MARK_END = '<!-- shortcuts:end -->';

/** `doc` with its shortcuts table replaced by `shortcutsMarkdown()`; unchanged without the markers. */
export function replaceShortcuts(doc: string, table = shortcutsMarkdown()): string {
  const start = doc.indexOf(MARK_START);
  const end = doc.indexOf(MARK_END);
  if (start < 0 || end < start) return doc;
  return `${doc.slice(0, start + MARK_START.length)}\n${table}${doc.slice(end)}`;
}

const STORAGE_KEY = 'linesight.singleKeyShortcuts';

/** Whether single-key shortcuts are on (the default); a browser without localStorage keeps them on. */
export function loadShortcutsEnabled(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function saveShortcutsEnabled(on: boolean): void {
  try {
    if (on) globalThis.localStorage?.removeItem(STORAGE_KEY);
    else globalThis.localStorage?.setItem(STORAGE_KEY, 'off');
  } catch {
    // Not kept: the choice lasts for this page.
  }
}
