import { Ring } from './ring.ts';
import { TEXT_CAPS, TextCapper } from './text-caps.ts';
import type { ErrorsSection, ProcessorErrorItem } from './types.ts';
/** Stack frames kept per error: enough to see where it was thrown, small enough for the report. */
export const MAX_STACK_FRAMES = 5;

/**
 * Processor errors of a run: exact counts by processor and by type for the whole run, plus the
 * most recent `cap` errors as samples for the Errors view.
 *
 * A file of bad lines can fail on every line, so `add` does only counting and one small item:
 * its line and message are cut to TEXT_CAPS.text bytes each (`cut` counts them), its stack
 * frames to TEXT_CAPS.frame.
 * The stack is read later, in `section()`, and only for the kept items: reading `error.stack`
 * makes V8 format it, which roughly doubles the cost of an error (measured in Node 20: about
 * 9 µs for a JSON.parse throw, 17 µs with the stack read), and evicted errors never need it.
 */
export class ErrorCollector {
  private readonly ring: Ring<Entry>;
  private readonly processors = new Map<string, number>();
  private readonly types = new Map<string, number>();
  private readonly texts = new TextCapper();

  constructor(cap: number) {
    this.ring = new Ring<Entry>(cap);
  }

  /**
   * Counts the error and keeps it as a sample. The returned item has everything but `stack`,
   * which is filled in (on this same object) by the next `section()` while it is still kept.
   */
  add(processor: string, lineNo: number, text: string, error: unknown): ProcessorErrorItem {
    const { type, message } = describeError(error, this.texts);
    const item: ProcessorErrorItem = { processor, lineNo, text: this.texts.keep(text), type, message };
    this.processors.set(processor, (this.processors.get(processor) ?? 0) + 1);
    this.types.set(type, (this.types.get(type) ?? 0) + 1);
    this.ring.push({ item, error, pending: true });
    return item;
  }

  /**
   * Adds the errors of a piece of the run, in file order: its exact counts, and its kept items
   * (most recent last) with line numbers moved by `lineOffset`.
   */
  absorb(part: ErrorsSection, lineOffset: number): void {
    this.texts.cut += part.cut ?? 0;
    for (const [processor, n] of Object.entries(part.byProcessor)) this.processors.set(processor, (this.processors.get(processor) ?? 0) + n);
    for (const [type, n] of Object.entries(part.byType)) this.types.set(type, (this.types.get(type) ?? 0) + n);
    this.ring.skip(part.total - part.items.length);
    for (const item of part.items) this.ring.push({ item: { ...item, lineNo: item.lineNo + lineOffset }, error: undefined, pending: false });
  }

  get total(): number {
    return this.ring.seen;
  }

  get kept(): number {
    return this.ring.size;
  }

  /** Lines and messages cut to the caps, over every error counted. */
  get cut(): number {
    return this.texts.cut;
  }

  /** Errors counted after the first `seen` (still kept), oldest first, with their stacks. */
  since(seen: number): ProcessorErrorItem[] {
    return this.ring.since(seen).map(resolveStack);
  }

  section(): ErrorsSection {
    return {
      total: this.ring.seen,
      byProcessor: Object.fromEntries(this.processors),
      byType: Object.fromEntries(this.types),
      items: this.ring.toArray().map(resolveStack),
      ...(this.texts.cut ? { cut: this.texts.cut } : {}),
    };
  }
}

/** The entry's item with its stack read (once) from the error it keeps until then. */
function resolveStack(entry: Entry): ProcessorErrorItem {
  if (entry.pending) {
    entry.pending = false;
    const stack = stackFrames(entry.error);
    if (stack) entry.item.stack = stack;
    // Let go of the error: V8 keeps the thrower's receivers and functions alive through it.
    entry.error = undefined;
  }
  return entry.item;
}

interface Entry {
  item: ProcessorErrorItem;
  error: unknown;
  /** The stack is still to be read from `error`. */
  pending: boolean;
}

/** Cuts texts nobody counts (names, stack frames, messages outside a collector). */
const uncounted = new TextCapper();

/**
 * Name and message of anything that can be thrown; `type` of a non-Error is its kind ("string",
 * "null", ...). Both are cut to TEXT_CAPS.text bytes; `texts` counts what it cuts.
 */
export function describeError(error: unknown, texts: TextCapper = uncounted): { type: string; message: string } {
  if (isErrorLike(error)) {
    const name = typeof error.name === 'string' && error.name !== '' ? error.name : 'Error';
    return { type: uncounted.keep(name), message: texts.keep(safeString(error.message)) };
  }
  const type = error === null ? 'null' : Array.isArray(error) ? 'array' : typeof error;
  return { type, message: texts.keep(safeString(error)) };
}

/**
 * The first frames of an error's stack, without the "Name: message" header (which spans
 * several lines when the message does). V8 frames read "    at fn (url:line:col)"; the text
 * after "at " is kept. Firefox and Safari stacks have no header and no "at", and pass as they are.
 */
export function stackFrames(error: unknown, limit = MAX_STACK_FRAMES): string[] | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  let stack: unknown;
  try {
    stack = (error as { stack?: unknown }).stack;
  } catch {
    return undefined;
  }
  if (typeof stack !== 'string' || stack === '') return undefined;
  const lines = stack.split('\n');
  let start = 0;
  const header = isErrorLike(error) ? errorHeader(error) : null;
  if (header !== null && stack.startsWith(header) && (stack.length === header.length || stack[header.length] === '\n')) {
    start = header.split('\n').length;
  } else {
    // The header no longer matches (name or message changed after the stack was formatted): skip to the first V8 frame.
    const first = lines.findIndex((line) => /^\s+at\s/.test(line));
    if (first > 0) start = first;
  }
  const frames: string[] = [];
  for (let i = start; i < lines.length && frames.length < limit; i++) {
    let frame = lines[i].trim();
    if (frame === '') continue;
    if (frame.startsWith('at ')) frame = frame.slice(3);
    frames.push(capText(frame, TEXT_CAPS.frame));
  }
  return frames.length ? frames : undefined;
}

/** `text` cut to `maxBytes` of UTF-8 with a cut mark (see text-caps.ts), counted nowhere. */
export function capText(text: string, maxBytes: number = TEXT_CAPS.text): string {
  return uncounted.keep(text, maxBytes);
}

interface ErrorLike {
  name?: unknown;
  message: unknown;
  stack?: unknown;
}

/** Errors from another realm (a worker, an iframe) fail `instanceof Error`, hence the duck typing. */
function isErrorLike(value: unknown): value is ErrorLike {
  if (value instanceof Error) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorLike).message === 'string' &&
    typeof (value as ErrorLike).name === 'string'
  );
}

/** The first line(s) V8 writes into `stack`: what Error.prototype.toString gives. */
function errorHeader(error: ErrorLike): string {
  const name = error.name === undefined ? 'Error' : safeString(error.name);
  const message = error.message === undefined ? '' : safeString(error.message);
  if (name === '') return message;
  if (message === '') return name;
  return `${name}: ${message}`;
}

/** String() throws for null-prototype objects and for a toString that throws; an error report must not. */
function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
