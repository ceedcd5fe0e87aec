import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlertsState, formatAlertValue, STORED_RUN_READ_ONLY } from '../../src/ui/alerts.svelte.ts';
import AlertsPanel from '../../src/ui/AlertsPanel.svelte';
import type { AlertView } from '../../src/worker/client.ts';

function alert(overrides: Partial<AlertView> = {}): AlertView {
  return {
    id: 'processor-error-rate:parse',
    rule: 'processor-error-rate',
    name: 'Processor error rate above 1%',
    processor: 'parse',
    severity: 'medium',
    state: 'firing',
    firedAt: '2026-01-01T12:00:05.000Z',
    value: 0.042,
    threshold: 0.01,
    lastValue: 0.042,
    history: [{ at: '2026-01-01T12:00:05.000Z', action: 'fired', by: 'rule', value: 0.042 }],
    ...overrides,
  };
}

const errorLines = alert({
  id: 'error-lines-per-minute',
  rule: 'error-lines-per-minute',
  name: 'ERROR lines above 5% of a minute of log time',
  processor: undefined,
  severity: 'high',
  state: 'acknowledged',
  value: 0.2,
  threshold: 0.05,
  lastValue: 0.2,
  history: [
    { at: '2026-01-01T12:00:01.000Z', action: 'fired', by: 'rule', value: 0.2 },
    { at: '2026-01-01T12:00:09.000Z', action: 'acknowledged', by: 'user' },
  ],
});

function setup(props: Record<string, unknown> = {}) {
  const onaction = vi.fn();
  const onenablenotifications = vi.fn();
  const view = render(AlertsPanel, { alerts: [alert(), errorLines], onaction, onenablenotifications, notifications: 'default', ...props });
  return { ...view, onaction, onenablenotifications };
}

const card = (name: RegExp | string) => screen.getByRole('article', { name });

describe('AlertsPanel', () => {
  it('lists each alert with rule name, processor, severity, state, when it fired and its value against the threshold', () => {
    setup();
    expect(screen.getByText('1 firing · 2 in all')).toBeTruthy();
    const parse = card('Processor error rate above 1% (parse)');
    expect(within(parse).getByText('severity: medium')).toBeTruthy();
    expect(within(parse).getByText('firing', { selector: '.badge' })).toBeTruthy();
    const firedAt = within(parse).getByText('Fired at').nextElementSibling!;
    expect(firedAt.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-01T12:00:05.000Z');
    expect(parse.textContent).toContain('4.2% (threshold 1%)');
    const lines = card('ERROR lines above 5% of a minute of log time');
    expect(within(lines).getByText('acknowledged', { selector: '.badge' })).toBeTruthy();
    expect(lines.textContent).toContain('20% (threshold 5%)');
  });

  it('offers the actions each state allows and calls back with them', async () => {
    const { onaction } = setup();
    const parse = card(/parse/);
    await fireEvent.click(within(parse).getByRole('button', { name: 'Acknowledge' }));
    expect(onaction).toHaveBeenLastCalledWith('processor-error-rate:parse', 'acknowledge');
    await fireEvent.click(within(parse).getByRole('button', { name: 'Resolve' }));
    expect(onaction).toHaveBeenLastCalledWith('processor-error-rate:parse', 'resolve');

    // Acknowledged: no Acknowledge any more, Resolve and Suppress stay.
    const lines = card(/ERROR lines/);
    expect(within(lines).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    const before = Date.now();
    await fireEvent.change(within(lines).getByLabelText('Suppress for'), { target: { value: '1' } });
    await fireEvent.click(within(lines).getByRole('button', { name: 'Suppress' }));
    const [id, action, until] = onaction.mock.lastCall!;
    expect([id, action]).toEqual(['error-lines-per-minute', 'suppress']);
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(until).toBeLessThan(Date.now() + 3_600_000 + 1000);

    // "until the run ends" is no date: the engine keeps it suppressed for the rest of the run.
    await fireEvent.change(within(lines).getByLabelText('Suppress for'), { target: { value: '3' } });
    await fireEvent.click(within(lines).getByRole('button', { name: 'Suppress' }));
    expect(onaction).toHaveBeenLastCalledWith('error-lines-per-minute', 'suppress', null);
  });

  it('says a suppression until the run ends as such while the run is live, and "for the run" once it ended', async () => {
    const suppressed = alert({
      state: 'suppressed',
      suppressedUntil: null,
      history: [...alert().history, { at: '2026-01-01T12:00:09.000Z', action: 'suppressed', by: 'user', until: null }],
    });
    const { rerender } = setup({ alerts: [suppressed], running: true });
    expect(within(card(/parse/)).getByText('suppressed until the run ends', { selector: '.badge' })).toBeTruthy();
    await fireEvent.click(within(card(/parse/)).getByText('Audit trail (2)'));
    const entries = within(card(/parse/)).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
    expect(entries[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} suppressed by you until the run ends$/);
    await rerender({ running: false });
    expect(within(card(/parse/)).getByText('suppressed for the run', { selector: '.badge' })).toBeTruthy();
    expect(card(/parse/).textContent).not.toMatch(/\d{4}-\d\d-\d\d|until \d/);
  });

  it('offers Unsuppress for a suppressed alert and says until when', async () => {
    const until = new Date(Date.now() + 15 * 60_000).toISOString();
    const { onaction } = setup({ alerts: [alert({ state: 'suppressed', suppressedUntil: until })] });
    const parse = card(/parse/);
    expect(within(parse).getByText(/^suppressed until \d\d:\d\d:\d\d$/)).toBeTruthy();
    expect(within(parse).queryByRole('button', { name: 'Suppress' })).toBeNull();
    await fireEvent.click(within(parse).getByRole('button', { name: 'Unsuppress' }));
    expect(onaction).toHaveBeenLastCalledWith('processor-error-rate:parse', 'unsuppress');
  });

  it('keeps an audit trail per alert: what happened, by whom, when', async () => {
    setup();
    const lines = card(/ERROR lines/);
    const trail = within(lines).getByText('Audit trail (2)');
    await fireEvent.click(trail);
    const entries = within(lines).getAllByRole('listitem').map((li) => li.textContent?.replace(/\s+/g, ' ').trim());
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} fired by the rule at 20%$/);
    expect(entries[1]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} acknowledged by you$/);
  });

  it('shows a stored run’s alerts read-only: actions disabled, with the reason', () => {
    setup({ readOnly: STORED_RUN_READ_ONLY });
    const reason = screen.getByText(STORED_RUN_READ_ONLY);
    for (const button of within(card(/parse/)).getAllByRole('button')) {
      expect((button as HTMLButtonElement).disabled).toBe(true);
      expect(button.getAttribute('aria-describedby')).toBe(reason.id);
    }
  });

  it('offers desktop notifications only on a click, and says when they are on or blocked', async () => {
    const { onenablenotifications, rerender } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Enable desktop notifications' }));
    expect(onenablenotifications).toHaveBeenCalledOnce();
    await rerender({ notifications: 'granted' });
    expect(screen.queryByRole('button', { name: 'Enable desktop notifications' })).toBeNull();
    expect(screen.getByText(/Desktop notifications are on/)).toBeTruthy();
    await rerender({ notifications: 'denied' });
    expect(screen.getByText(/blocked/)).toBeTruthy();
  });

  it('says plainly when nothing fired', () => {
    setup({ alerts: [] });
    expect(screen.getByText('No alert has fired in this run.')).toBeTruthy();
  });
});

describe('formatAlertValue', () => {
  it('gives shares as percentages, circuits as open or closed, latencies in µs', () => {
    expect(formatAlertValue({ rule: 'processor-error-rate' }, 0.0125)).toBe('1.25%');
    expect(formatAlertValue({ rule: 'error-lines-per-minute' }, 0.2)).toBe('20%');
    expect(formatAlertValue({ rule: 'circuit-open' }, 1)).toBe('open');
    expect(formatAlertValue({ rule: 'slow-p95' }, 1250)).toBe('1,250 µs');
    expect(formatAlertValue({ rule: 'x' }, null)).toBe('–');
  });
});

describe('AlertsState', () => {
  class FakeNotification {
    static permission: NotificationPermission = 'granted';
    static requestPermission = vi.fn(async () => 'granted' as NotificationPermission);
    static shown: { title: string; options?: NotificationOptions }[] = [];
    onclick: (() => void) | null = null;
    close = vi.fn();
    constructor(title: string, options?: NotificationOptions) {
      FakeNotification.shown.push({ title, options });
    }
  }
  const hidden = (value: boolean) => Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (value ? 'hidden' : 'visible') });

  afterEach(() => {
    vi.unstubAllGlobals();
    hidden(false);
    FakeNotification.shown = [];
  });

  it('notifies when an alert starts firing while the tab is hidden, once per firing', () => {
    vi.stubGlobal('Notification', FakeNotification);
    const state = new AlertsState(async () => null);
    hidden(false);
    state.update([alert()]);
    expect(FakeNotification.shown).toHaveLength(0); // visible: the header says it

    hidden(true);
    state.update([alert(), errorLines]);
    expect(FakeNotification.shown).toHaveLength(0); // errorLines is acknowledged, parse was seen
    state.update([alert({ firedAt: '2026-01-01T12:10:00.000Z', history: [] }), errorLines]);
    expect(FakeNotification.shown).toHaveLength(1);
    expect(FakeNotification.shown[0].title).toBe('Alert firing: Processor error rate above 1%');
    expect(FakeNotification.shown[0].options?.body).toContain('Value 4.2% (threshold 1%).');
    expect(state.firing.map((a) => a.id)).toEqual(['processor-error-rate:parse']);
  });

  it('never notifies without permission, nor for a report’s alerts', () => {
    vi.stubGlobal('Notification', FakeNotification);
    hidden(true);
    const state = new AlertsState(async () => null);
    state.load([alert()]);
    expect(FakeNotification.shown).toHaveLength(0);
    FakeNotification.permission = 'default';
    state.update([alert({ id: 'other', firedAt: '2026-01-01T13:00:00.000Z' })]);
    expect(FakeNotification.shown).toHaveLength(0);
    FakeNotification.permission = 'granted';
  });

  it('asks for permission when asked to enable notifications', async () => {
    vi.stubGlobal('Notification', FakeNotification);
    const state = new AlertsState(async () => null);
    await state.enableNotifications();
    expect(FakeNotification.requestPermission).toHaveBeenCalledOnce();
    expect(state.permission).toBe('granted');
  });

  it('replaces the list with the engine’s answer to an action, and says so when the engine refuses', async () => {
    const call = vi.fn(async () => [alert({ state: 'acknowledged' })]);
    const state = new AlertsState(call);
    state.update([alert()]);
    expect(await state.act('processor-error-rate:parse', 'acknowledge')).toBe(true);
    expect(call).toHaveBeenCalledWith('processor-error-rate:parse', 'acknowledge', undefined);
    expect(state.list.map((a) => a.state)).toEqual(['acknowledged']);
    expect(state.pending).toBeNull();

    call.mockResolvedValueOnce(null as never);
    expect(await state.act('processor-error-rate:parse', 'resolve')).toBe(false);
    expect(state.message).toMatch(/Nothing changed/);

    state.load([alert()], STORED_RUN_READ_ONLY);
    expect(await state.act('processor-error-rate:parse', 'resolve')).toBe(false);
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('drops an answer that arrives after a new run started', async () => {
    let answer!: (alerts: AlertView[]) => void;
    const state = new AlertsState(() => new Promise((resolve) => (answer = resolve)));
    state.update([alert()]);
    const acting = state.act('processor-error-rate:parse', 'acknowledge');
    state.reset();
    answer([alert({ state: 'acknowledged' })]);
    expect(await acting).toBe(false);
    expect(state.list).toEqual([]);
  });
});
