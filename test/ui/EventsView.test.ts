import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import EventsView from '../../src/ui/EventsView.svelte';
import type { EventsSection } from '../../src/worker/client.ts';
import { eventsSection, logEvent } from './fixtures.ts';

const items = [
  logEvent('run_started', { ts: '2026-01-01T12:00:00.000Z', file: 'app.log', size: 1024 }),
  logEvent('stage_completed', { level: 'debug', component: 'json', recordsIn: 500, recordsOut: 480, elapsedMs: 1.5, throughputRps: 333_333 }),
  logEvent('processor_error', { level: 'warn', component: 'json', type: 'JsonParseError', message: 'Unexpected token <' }),
  logEvent('circuit_state_change', { level: 'warn', component: 'json', from: 'closed', to: 'open', reason: '50 errors in a row' }),
  logEvent('run_failed', { level: 'error', message: 'disk full' }),
];

/**
 * Event names of the rows shown, top to bottom. Read from the table's body, not by role per row:
 * a role query on each of hundreds of rows computes styles for all of them and takes seconds.
 */
const shownEvents = () =>
  [...(screen.getByRole('table', { name: 'Event log' }) as HTMLTableElement).tBodies[0].rows].map(
    (row) => row.cells[3]?.textContent ?? row.textContent?.trim(),
  );

function setup(overrides: { events?: EventsSection } = {}) {
  const onexport = vi.fn();
  // Under `props`: "events" is also the name of a Svelte mount option.
  render(EventsView, { props: { events: eventsSection(items), onexport, ...overrides } });
  return { onexport };
}

describe('EventsView', () => {
  it('lists events oldest first, newest last, with level, component, event and the other fields as compact JSON', () => {
    setup();
    expect(shownEvents()).toEqual(['run_started', 'stage_completed', 'processor_error', 'circuit_state_change', 'run_failed']);
    const row = screen.getAllByRole('row')[2] as HTMLTableRowElement;
    expect([...row.cells].slice(1).map((c) => c.textContent?.trim())).toEqual([
      'debug',
      'json',
      'stage_completed',
      '{"recordsIn":500,"recordsOut":480,"elapsedMs":1.5,"throughputRps":333333}',
    ]);
    expect(row.cells[0].getAttribute('title')).toBe('2026-01-01T12:00:00.000Z');
    expect(row.cells[0].textContent).toMatch(/^\d\d:\d\d:\d\d\.000$/);
  });

  it('counts events seen and kept', () => {
    setup({ events: eventsSection(items, { seen: 9_001, kept: 5 }) });
    expect(screen.getByText(/9,001 events \(5 kept\)/)).toBeTruthy();
  });

  it('filters by minimum level, component, event type and text', async () => {
    setup();
    await fireEvent.change(screen.getByLabelText('Level'), { target: { value: 'warn' } });
    expect(shownEvents()).toEqual(['processor_error', 'circuit_state_change', 'run_failed']);
    expect(screen.getByText(/3 match/)).toBeTruthy();

    await fireEvent.change(screen.getByLabelText('Component'), { target: { value: 'json' } });
    expect(shownEvents()).toEqual(['processor_error', 'circuit_state_change']);

    await fireEvent.change(screen.getByLabelText('Event'), { target: { value: 'circuit_state_change' } });
    expect(shownEvents()).toEqual(['circuit_state_change']);

    await fireEvent.change(screen.getByLabelText('Level'), { target: { value: '' } });
    await fireEvent.change(screen.getByLabelText('Component'), { target: { value: '' } });
    await fireEvent.change(screen.getByLabelText('Event'), { target: { value: '' } });
    await fireEvent.input(screen.getByLabelText('Search events'), { target: { value: 'disk full' } });
    expect(shownEvents()).toEqual(['run_failed']);

    await fireEvent.input(screen.getByLabelText('Search events'), { target: { value: 'nothing like it' } });
    expect(screen.getByText('No event matches these filters.')).toBeTruthy();
  });

  it('offers the components and event types that occur', () => {
    setup();
    const options = (label: string) => [...(screen.getByLabelText(label) as HTMLSelectElement).options].map((o) => o.value);
    expect(options('Component')).toEqual(['', 'json', 'run']);
    expect(options('Event')).toEqual(['', 'circuit_state_change', 'processor_error', 'run_failed', 'run_started', 'stage_completed']);
  });

  it('calls back from "Export events (NDJSON)", and offers it only with events to export', async () => {
    const { onexport } = setup();
    await fireEvent.click(screen.getByRole('button', { name: 'Export events (NDJSON)' }));
    expect(onexport).toHaveBeenCalledOnce();
  });

  it('disables the export without events', () => {
    setup({ events: eventsSection([]) });
    expect((screen.getByRole('button', { name: 'Export events (NDJSON)' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('No events yet.')).toBeTruthy();
  });

  it('draws the latest page of events, and the earlier ones a page at a time on request', async () => {
    // A page of 5, not the app's 500: the paging is the same, and jsdom draws 12 rows in no time.
    render(EventsView, { props: { events: eventsSection(Array.from({ length: 12 }, (_, i) => logEvent(`e${i}`))), onexport: vi.fn(), page: 5 } });
    expect(shownEvents()).toEqual(['e7', 'e8', 'e9', 'e10', 'e11']);
    await fireEvent.click(screen.getByRole('button', { name: 'Show earlier (7 more)' }));
    expect(shownEvents()).toEqual(['e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11']);
    await fireEvent.click(screen.getByRole('button', { name: 'Show earlier (2 more)' }));
    expect(shownEvents()).toHaveLength(12);
    expect(shownEvents()[0]).toBe('e0');
    expect(screen.queryByRole('button', { name: /Show earlier/ })).toBeNull();
  });

  it('renders field values that look like HTML as text', () => {
    setup({ events: eventsSection([logEvent('processor_error', { message: '<img src=x onerror=alert(1)>' })]) });
    expect(screen.getByText('{"message":"<img src=x onerror=alert(1)>"}')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
  });
});
