import type { LogRecord } from '../types.ts';
import { defineProcessor } from './define.ts';
import { keyReader } from './fields.ts';
import { compactKey } from './hash.ts';

/** Keys a time window remembers at most: past this, the oldest are forgotten first. */
export const MAX_REMEMBERED_KEYS = 100_000;

/** A first-in first-out queue of (key, time), in a ring that grows by doubling. */
export class KeyQueue {
  private keys: string[] = new Array(16);
  private times = new Float64Array(16);
  private head = 0;
  size = 0;

  push(key: string, time: number): void {
    if (this.size === this.keys.length) this.grow();
    const at = (this.head + this.size) & (this.keys.length - 1);
    this.keys[at] = key;
    this.times[at] = time;
    this.size++;
  }

  get firstKey(): string {
    return this.keys[this.head];
  }

  get firstTime(): number {
    return this.times[this.head];
  }

  shift(): void {
    this.keys[this.head] = '';
    this.head = (this.head + 1) & (this.keys.length - 1);
    this.size--;
  }

  private grow(): void {
    const keys: string[] = new Array(this.keys.length * 2);
    const times = new Float64Array(this.keys.length * 2);
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) & (this.keys.length - 1);
      keys[i] = this.keys[from];
      times[i] = this.times[from];
    }
    this.keys = keys;
    this.times = times;
    this.head = 0;
  }
}

export const dedupe = defineProcessor({
  descriptor: {
    type: 'dedupe',
    title: 'Dedupe',
    description: 'Drops a record that repeats one seen shortly before it: the same line, or the same values of some fields.',
    kind: 'map',
    ordered: 'compares each record with the records before it (a window of lines or of log time)',
    details: [
      'A record is a repeat when one with the same key came among the `window` records before it (repeats included), or, with `windowMs`, at most that many milliseconds of log time before it (the entry\'s time, read by `parse` or set by `timestamp`);',
      'a record without a log time is then never a repeat and is not remembered.',
      `Keys longer than 64 characters are remembered by a 64-bit hash; with \`windowMs\`, at most ${MAX_REMEMBERED_KEYS.toLocaleString('en-US')} keys are remembered, the oldest forgotten first.`,
    ].join(' '),
    params: [
      {
        name: 'fields',
        type: 'names',
        description: 'Fields whose values, together, make the key (a missing field counts as a value of its own); absent: the line text.',
        example: ['component', 'message'],
      },
      {
        name: 'window',
        type: 'integer',
        default: 1000,
        min: 1,
        max: 100_000,
        description: 'How many records before it a record is compared with.',
        example: 50,
      },
      {
        name: 'windowMs',
        type: 'integer',
        min: 1,
        max: 31_536_000_000,
        description: 'Compare by log time instead: a repeat within this many milliseconds of the last record with the same key.',
        example: 60000,
      },
    ],
  },
  create({ fields, window, windowMs }) {
    const keyOf = keyReader(fields);
    if (windowMs === undefined) {
      // The last `window` keys in a ring, and how often each is in it.
      const ring: string[] = new Array(window).fill('');
      const inRing = new Map<string, number>();
      let at = 0;
      let filled = 0;
      return {
        kind: 'map',
        map: (record) => {
          const key = compactKey(keyOf(record));
          const repeat = inRing.has(key);
          if (filled === window) {
            const leaving = ring[at];
            const n = inRing.get(leaving) ?? 1;
            if (n === 1) inRing.delete(leaving);
            else inRing.set(leaving, n - 1);
          } else filled++;
          ring[at] = key;
          inRing.set(key, (inRing.get(key) ?? 0) + 1);
          at = at + 1 === window ? 0 : at + 1;
          return repeat ? null : record;
        },
      };
    }
    // Each key's latest time, and a queue in arrival order to forget keys whose time is past.
    const latest = new Map<string, number>();
    const queue = new KeyQueue();
    return {
      kind: 'map',
      map: (record: LogRecord) => {
        const ts = record.ts;
        if (ts === undefined) return record;
        while (queue.size > 0 && (queue.firstTime < ts - windowMs || queue.size >= MAX_REMEMBERED_KEYS)) {
          const old = queue.firstKey;
          if (latest.get(old) === queue.firstTime) latest.delete(old);
          queue.shift();
        }
        const key = compactKey(keyOf(record));
        const before = latest.get(key);
        latest.set(key, ts);
        queue.push(key, ts);
        return before !== undefined && Math.abs(ts - before) <= windowMs ? null : record;
      },
    };
  },
});
