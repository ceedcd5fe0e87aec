import { describe, expect, it } from 'vitest';
import { EventLog, eventsToNdjson, filterEvents } from '../../../src/engine/observe/events.ts';
import type { LogEvent } from '../../../src/engine/observe/types.ts';

/** A clock that ticks one second per call from a fixed start, so timestamps are predictable. */
function fakeClock(start = Date.UTC(2024, 0, 2, 3, 4, 5)): () => Date {
  let t = start;
  return () => {
    const now = new Date(t);
    t += 1000;
    return now;
  };
}

function sampleLog(): LogEvent[] {
  const log = new EventLog(100, fakeClock());
  log.emit('info', 'run', 'run_started', { file: 'app.log' });
  log.emit('debug', 'json', 'stage_completed', { recordsIn: 100, recordsOut: 90, elapsedMs: 1.5 });
  log.emit('warn', 'json', 'circuit_state_change', { from: 'closed', to: 'open', reason: '50 errors in a row' });
  log.emit('error', 'json', 'processor_error', { lineNo: 7, message: 'Unexpected Token' });
  log.emit('info', 'run', 'run_completed', { lines: 100 });
  return log.section().items;
}

describe('EventLog', () => {
  it('builds events with a timestamp, level, component, event and the extra fields', () => {
    const log = new EventLog(10, fakeClock());
    log.emit('info', 'json', 'stage_completed', { recordsIn: 5, recordsOut: 4 });
    expect(log.section().items).toEqual([
      { ts: '2024-01-02T03:04:05.000Z', level: 'info', component: 'json', event: 'stage_completed', recordsIn: 5, recordsOut: 4 },
    ]);
  });

  it('lets the fixed keys win over fields of the same name', () => {
    const log = new EventLog(10, fakeClock());
    log.emit('warn', 'run', 'run_failed', { ts: 'fake', level: 'debug', component: 'other', event: 'nope', reason: 'disk' });
    const [event] = log.section().items;
    expect(event).toEqual({ ts: '2024-01-02T03:04:05.000Z', level: 'warn', component: 'run', event: 'run_failed', reason: 'disk' });
    expect(Object.keys(event).slice(0, 4)).toEqual(['ts', 'level', 'component', 'event']);
  });

  it('stores a field named __proto__ as a field, not as the prototype', () => {
    const log = new EventLog(10, fakeClock());
    log.emit('info', 'run', 'x', JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>);
    const [event] = log.section().items;
    expect((event as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(event)).__proto__).toEqual({ polluted: true });
  });

  it('keeps the most recent events up to the cap and counts every one emitted', () => {
    const log = new EventLog(5000, fakeClock());
    for (let i = 1; i <= 12_345; i++) log.emit('debug', 'p', 'stage_completed', { batch: i });
    const section = log.section();
    expect(log.seen).toBe(12_345);
    expect(section.seen).toBe(12_345);
    expect(section.kept).toBe(5000);
    expect(section.items).toHaveLength(5000);
    expect(section.items[0].batch).toBe(7346);
    expect(section.items[4999].batch).toBe(12_345);
  });

  it('section with a filter returns the matching items and the whole log counts', () => {
    const log = new EventLog(3, fakeClock());
    log.emit('info', 'run', 'run_started');
    log.emit('warn', 'json', 'circuit_state_change');
    log.emit('info', 'json', 'stage_completed');
    log.emit('error', 'json', 'processor_error');
    const section = log.section({ level: 'warn' });
    expect(section.seen).toBe(4);
    expect(section.kept).toBe(3);
    expect(section.items.map((e) => e.event)).toEqual(['circuit_state_change', 'processor_error']);
  });
});

describe('eventsToNdjson', () => {
  it('writes one JSON object per line that parses back to the same events', () => {
    const items = sampleLog();
    items.push({ ts: 'x', level: 'info', component: 'p', event: 'e', text: 'multi\nline "quoted"\u2028' });
    const ndjson = eventsToNdjson(items);
    expect(ndjson.endsWith('\n')).toBe(true);
    const lines = ndjson.slice(0, -1).split('\n');
    expect(lines).toHaveLength(items.length);
    expect(lines.map((line) => JSON.parse(line))).toEqual(items);
  });

  it('is empty for no events', () => {
    expect(eventsToNdjson([])).toBe('');
  });

  it('writes a bigint field as a string instead of throwing', () => {
    const ndjson = eventsToNdjson([{ ts: 't', level: 'info', component: 'c', event: 'e', bytes: 10n }]);
    expect(JSON.parse(ndjson).bytes).toBe('10');
  });
});

describe('filterEvents', () => {
  const items = sampleLog();
  const names = (filtered: LogEvent[]) => filtered.map((e) => e.event);

  it('keeps events at or above a minimum level', () => {
    expect(names(filterEvents(items, { level: 'warn' }))).toEqual(['circuit_state_change', 'processor_error']);
    expect(names(filterEvents(items, { level: 'info' }))).toHaveLength(4);
    expect(filterEvents(items, { level: 'debug' })).toHaveLength(5);
  });

  it('matches component and event exactly', () => {
    expect(names(filterEvents(items, { component: 'run' }))).toEqual(['run_started', 'run_completed']);
    expect(names(filterEvents(items, { event: 'processor_error' }))).toEqual(['processor_error']);
    expect(filterEvents(items, { component: 'js' })).toEqual([]);
  });

  it('searches the JSON of each event regardless of case', () => {
    expect(names(filterEvents(items, { text: 'unexpected token' }))).toEqual(['processor_error']);
    expect(names(filterEvents(items, { text: 'APP.LOG' }))).toEqual(['run_started']);
    expect(names(filterEvents(items, { text: '"recordsout":90' }))).toEqual(['stage_completed']);
  });

  it('combines criteria, and empty criteria match everything', () => {
    expect(names(filterEvents(items, { component: 'json', level: 'warn', text: 'open' }))).toEqual(['circuit_state_change']);
    expect(filterEvents(items, {})).toEqual(items);
    expect(filterEvents(items, { text: '', component: '' })).toEqual(items);
  });
});
