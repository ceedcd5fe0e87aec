import { Ring } from './ring.ts';
import { TextCapper } from './text-caps.ts';
import type { EventLevel, EventsSection, LogEvent } from './types.ts';

/** Severity order, for "this level and above" filters. */
export const EVENT_LEVELS: readonly EventLevel[] = ['debug', 'info', 'warn', 'error'];

export interface EventFilter {
  /** Minimum level: `warn` keeps warn and error. */
  level?: EventLevel;
  /** Exact component: "run", "pipeline" or a processor id. */
  component?: string;
  /** Exact event name, e.g. circuit_state_change. */
  event?: string;
  /** Case-insensitive substring of the event's JSON. */
  text?: string;
}

const FIXED_KEYS = new Set(['ts', 'level', 'component', 'event']);

/**
 * The run's structured event log (run_started, stage_completed, circuit_state_change, ...),
 * the same JSON objects the UI lists and the NDJSON export writes. Events come per batch and
 * per state change, not per line, so building one object each is fine; the cap bounds memory
 * and `seen` stays exact. Every text in an event (at any depth) is cut to TEXT_CAPS.text bytes;
 * `cut` counts them. The clock is injectable so tests get stable timestamps.
 */
export class EventLog {
  private readonly ring: Ring<LogEvent>;
  private readonly texts = new TextCapper();

  constructor(
    cap: number,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.ring = new Ring<LogEvent>(cap);
  }

  /**
   * Records one event. `ts`, `level`, `component` and `event` always come from the arguments,
   * whatever `fields` holds, and come first so NDJSON lines read well.
   */
  emit(level: EventLevel, component: string, event: string, fields?: Record<string, unknown>): void {
    const texts = this.texts;
    const entry: LogEvent = { ts: this.clock().toISOString(), level, component: texts.cap(component), event: texts.cap(event) };
    if (fields) {
      for (const key of Object.keys(fields)) {
        if (FIXED_KEYS.has(key)) continue;
        setField(entry, key, capTexts(fields[key], texts, false));
      }
    }
    this.ring.push(entry);
  }

  /** Adds a piece's events: `seen` logged there, the kept ones (a `lineNo` field moved by `lineOffset`). */
  absorb(items: readonly LogEvent[], seen: number, lineOffset: number, cut = 0): void {
    this.texts.cut += cut;
    this.ring.skip(seen - items.length);
    for (const event of items) {
      this.ring.push(lineOffset !== 0 && typeof event.lineNo === 'number' ? { ...event, lineNo: event.lineNo + lineOffset } : event);
    }
  }

  /** Texts cut to the caps, over every event logged. */
  get cut(): number {
    return this.texts.cut;
  }

  get seen(): number {
    return this.ring.seen;
  }

  get kept(): number {
    return this.ring.size;
  }

  /** Events logged after the first `seen` (still kept), oldest first. */
  since(seen: number): LogEvent[] {
    return this.ring.since(seen);
  }

  /** `seen` and `kept` describe the whole log; with a filter, `items` holds only the matching events. */
  section(filter?: EventFilter): EventsSection {
    const items = this.ring.toArray();
    const cut = this.texts.cut;
    return { seen: this.ring.seen, kept: this.ring.size, items: filter ? filterEvents(items, filter) : items, ...(cut ? { cut } : {}) };
  }
}

/** Nesting past which an event's field is not looked into: events are built by the engine, a few levels deep. */
const MAX_FIELD_DEPTH = 8;

/**
 * `value` with every string in it cut to the text cap (plain objects and lists copied as they
 * are walked). `recheck`: texts already cut stay as
 * they are (imported reports). Beyond MAX_FIELD_DEPTH the value is kept as it is.
 */
export function capTexts(value: unknown, texts: TextCapper, recheck: boolean, depth = 0): unknown {
  if (typeof value === 'string') return recheck ? texts.recheck(value) : texts.cap(value);
  if (typeof value !== 'object' || value === null || depth >= MAX_FIELD_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => capTexts(item, texts, recheck, depth + 1));
  // Typed arrays, dates and the like are no containers of text.
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setField(out, key, capTexts((value as Record<string, unknown>)[key], texts, recheck, depth + 1));
  return out;
}

/** A plain assignment to "__proto__" would set the prototype instead of a field. */
function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** One JSON object per line, each ending in "\n"; "" for no events. */
export function eventsToNdjson(items: readonly LogEvent[]): string {
  let out = '';
  for (let i = 0; i < items.length; i++) out += toJson(items[i]) + '\n';
  return out;
}

/** The events matching every given criterion; empty criteria match all. */
export function filterEvents(items: readonly LogEvent[], filter: EventFilter): LogEvent[] {
  const minRank = filter.level ? EVENT_LEVELS.indexOf(filter.level) : -1;
  const { component, event } = filter;
  const needle = filter.text ? filter.text.toLowerCase() : '';
  const out: LogEvent[] = [];
  for (const item of items) {
    if (minRank > 0 && EVENT_LEVELS.indexOf(item.level) < minRank) continue;
    if (component && item.component !== component) continue;
    if (event && item.event !== event) continue;
    if (needle && !toJson(item).toLowerCase().includes(needle)) continue;
    out.push(item);
  }
  return out;
}

/** JSON.stringify, except that a bigint field becomes a string instead of throwing. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
