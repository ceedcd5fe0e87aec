/**
 * Keyboard shortcuts: every key of the table does what the table says, none fires while typing or
 * with a modifier, and the "Keyboard shortcuts" dialog opens, lists them, closes and gives the
 * focus back. The README's table is the table.
 */
import { readFileSync } from 'node:fs';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { tick } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openLinesightDB } from '../../src/store/index.ts';
import App from '../../src/ui/App.svelte';
import { Library } from '../../src/ui/library.svelte.ts';
import { Session } from '../../src/ui/session.svelte.ts';
import { FOCUS_KEYS, replaceShortcuts, SHORTCUTS, type Shortcut } from '../../src/ui/shortcuts.ts';
import { fakeEngine } from './fake-engine.ts';
import { until } from './until.ts';
import { errorsSection, eventsSection, processorError, trace, traces } from './fixtures.ts';


// jsdom has <dialog> but not its modal methods; these do what the page relies on.
beforeAll(() => {
  const proto = HTMLDialogElement.prototype;
  proto.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.close ??= function (this: HTMLDialogElement) {
    if (!this.open) return;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
});

async function setup() {
  const factory = new IDBFactory();
  const library = new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => false, isLive: async () => false });
  const fake = fakeEngine();
  const session = new Session(fake.engine, library);
  await Promise.all([session.ready, library.ready]);
  // Lists to search in, as a run with traces would have.
  session.observations = { traces: traces([trace(1)]), errors: errorsSection([processorError()]), events: eventsSection([]) };
  const view = render(App, { session });
  return { ...fake, session, view };
}

/** A key pressed with the focus on `target` (the page's body unless said). */
async function press(key: string, target: Element = document.body, init: KeyboardEventInit = {}) {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(event);
  // The key's state changes, on the page.
  await tick();
  return event;
}

const dialog = () => document.querySelector('dialog') as HTMLDialogElement;
const selectedTab = () => screen.getByRole('tab', { selected: true }).textContent?.replace(/\d+/g, '').trim();

describe('keyboard shortcuts', () => {
  beforeEach(() => localStorage.clear());
  afterEach(() => vi.restoreAllMocks());

  it('does what the table says for every key', async () => {
    const { session } = await setup();
    const clicks: string[] = [];
    for (const name of ['Open log file', 'Import report']) {
      screen.getByLabelText(name).addEventListener('click', (event) => {
        clicks.push(name);
        event.preventDefault(); // no chooser in a test
      });
    }
    const exported = vi.spyOn(session, 'exportReport');

    const check: Record<Shortcut['action']['kind'], (s: Shortcut) => void> = {
      help: () => {
        expect(dialog().open).toBe(true);
        dialog().close();
      },
      open: () => expect(clicks.pop()).toBe('Open log file'),
      import: () => expect(clicks.pop()).toBe('Import report'),
      export: () => expect(exported).toHaveBeenCalledOnce(),
      pipeline: () => expect(document.activeElement).toBe(screen.getByLabelText('Pipeline config (JSON)')),
      search: () => expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search traces' })),
      view: (s) => {
        expect(session.section).toBe('analyze');
        expect(s.description).toBe(`${selectedTab()} tab`);
      },
      section: (s) => expect(session.section).toBe(s.action.kind === 'section' && s.action.section),
    };
    for (const shortcut of SHORTCUTS) {
      (document.activeElement as HTMLElement | null)?.blur();
      // "/" needs a list with a search field on screen; the others start from the History.
      if (shortcut.action.kind === 'search') session.show('journeys');
      else session.showSection('history');
      await tick();
      const event = await press(shortcut.key);
      expect(event.defaultPrevented, `${shortcut.key} is handled`).toBe(true);
      // Some actions take a turn of their own (the focus moves once the section is drawn).
      await until(() => check[shortcut.action.kind](shortcut));
    }
    expect(clicks).toEqual([]);
  });

  it('moves between the tabs by number and between the sections by letter', async () => {
    const { session } = await setup();
    await press('5');
    expect(selectedTab()).toBe('Errors');
    await press('8');
    expect(screen.getByRole('tabpanel', { name: 'Processors' })).toBeTruthy();
    await press('h');
    expect(screen.getByRole('heading', { name: 'Runs history' })).toBeTruthy();
    await press('2');
    expect(session.section).toBe('analyze');
    expect(selectedTab()).toBe('Charts');
    // Caps Lock on: still the same letter.
    await press('S');
    expect(session.section).toBe('settings');
  });

  it('ignores keys typed in fields, and keys with Ctrl, Alt or Meta', async () => {
    const { session } = await setup();
    session.show('journeys');
    await tick();
    const search = screen.getByRole('searchbox', { name: 'Search traces' });
    search.focus();
    expect((await press('1', search)).defaultPrevented).toBe(false);
    const editor = screen.getByLabelText('Pipeline config (JSON)');
    expect((await press('h', editor)).defaultPrevented).toBe(false);
    expect((await press('?', screen.getByLabelText('Pipeline preset'))).defaultPrevented).toBe(false);
    for (const modifier of ['ctrlKey', 'altKey', 'metaKey'] as const) {
      expect((await press('1', document.body, { [modifier]: true })).defaultPrevented).toBe(false);
    }
    expect(session.view).toBe('journeys');
    expect(session.section).toBe('analyze');
    expect(dialog().open).toBe(false);

    // A checkbox takes no typing: the keys work there.
    await press('3', screen.getByLabelText('Keep output lines'));
    expect(selectedTab()).toBe('Graph');
  });

  it('opens the shortcuts dialog with "?", lists every shortcut, and gives the focus back on close', async () => {
    await setup();
    const sample = screen.getByRole('button', { name: 'Try a sample log' });
    sample.focus();
    await press('?', sample, { shiftKey: true });
    const shown = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(shown).toBe(dialog());
    expect(dialog().open).toBe(true);
    expect(document.activeElement).toBe(within(shown).getByRole('button', { name: 'Close' }));

    const rows = within(within(shown).getByRole('table', { name: 'Shortcuts anywhere on the page' })).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent?.trim())).toEqual(SHORTCUTS.map((s) => `${s.key}${s.description}`));
    for (const { keys } of FOCUS_KEYS) expect(within(shown).getByRole('rowheader', { name: keys })).toBeTruthy();

    // Keys pressed inside the dialog belong to it.
    expect((await press('1', document.activeElement!)).defaultPrevented).toBe(false);

    await fireEvent.click(within(shown).getByRole('button', { name: 'Close' }));
    expect(dialog().open).toBe(false);
    expect(document.activeElement).toBe(sample);

    // The header button opens it too.
    await fireEvent.click(screen.getByRole('button', { name: /Keyboard shortcuts/ }));
    expect(dialog().open).toBe(true);
  });

  it('turns single-key shortcuts off and on, and remembers the choice', async () => {
    const { session, view } = await setup();
    await fireEvent.click(screen.getByRole('button', { name: /Keyboard shortcuts/ }));
    const toggle = screen.getByRole('checkbox', { name: 'Single-key shortcuts' }) as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    await fireEvent.click(toggle);
    dialog().close();

    expect((await press('4')).defaultPrevented).toBe(false);
    expect(session.view).toBe('stats');
    expect((await press('?')).defaultPrevented).toBe(false);
    expect(dialog().open).toBe(false);

    view.unmount();
    const again = await setup();
    expect((await press('4')).defaultPrevented).toBe(false);
    await fireEvent.click(screen.getByRole('button', { name: /Keyboard shortcuts/ }));
    await fireEvent.click(screen.getByRole('checkbox', { name: 'Single-key shortcuts' }));
    dialog().close();
    await press('4');
    expect(again.session.view).toBe('journeys');
  });

  it('is listed in the README, generated from the same table', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme).toContain('<!-- shortcuts:start -->');
    expect(replaceShortcuts(readme), 'README.md is out of date: run `npm run docs`').toBe(readme);
    for (const s of SHORTCUTS) expect(readme).toContain(`| <kbd>${s.key}</kbd> | ${s.description} |`);
  });
});
