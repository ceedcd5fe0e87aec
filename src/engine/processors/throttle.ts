import { defineProcessor } from './define.ts';
import { KeyQueue, MAX_REMEMBERED_KEYS } from './dedupe.ts';
import { keyReader } from './fields.ts';
import { compactKey } from './hash.ts';

/** Keys beyond MAX_REMEMBERED_KEYS share this one window. */
const SHARED_KEY = '\u0003shared';

interface Window {
  start: number;
  count: number;
}

export const throttle = defineProcessor({
  descriptor: {
    type: 'throttle',
    title: 'Throttle',
    description: 'Lets at most `limit` records per key through in each window of log time, and drops the rest.',
    kind: 'map',
    ordered: 'counts the records of each key in windows of log time',
    details: [
      'A key\'s window opens at the log time of its first record and lasts `windowMs`; the first record at or after its end opens the next one.',
      'Records without a log time pass and are not counted.',
      `Keys longer than 64 characters are told apart by a 64-bit hash; past ${MAX_REMEMBERED_KEYS.toLocaleString('en-US')} keys with an open window, new keys share one window.`,
    ].join(' '),
    params: [
      {
        name: 'limit',
        type: 'integer',
        required: true,
        min: 1,
        max: 1_000_000_000,
        description: 'Records per key let through in each window.',
        example: 10,
      },
      {
        name: 'windowMs',
        type: 'integer',
        required: true,
        min: 1,
        max: 31_536_000_000,
        description: 'Length of a window, in milliseconds of log time.',
        example: 60000,
      },
      {
        name: 'fields',
        type: 'names',
        description: 'Fields whose values, together, make the key; absent: all records share one key.',
        example: ['component'],
      },
    ],
  },
  create({ limit, windowMs, fields }) {
    const keyOf = fields === undefined ? () => '' : keyReader(fields);
    const windows = new Map<string, Window>();
    // Windows in the order they opened, to forget those that ended.
    const opened = new KeyQueue();
    return {
      kind: 'map',
      map: (record) => {
        const ts = record.ts;
        if (ts === undefined) return record;
        while (opened.size > 0 && opened.firstTime + windowMs <= ts) {
          const key = opened.firstKey;
          if (windows.get(key)?.start === opened.firstTime) windows.delete(key);
          opened.shift();
        }
        let key = compactKey(keyOf(record));
        let window = windows.get(key);
        if (window === undefined && windows.size >= MAX_REMEMBERED_KEYS) {
          key = SHARED_KEY;
          window = windows.get(key);
        }
        if (window === undefined || ts >= window.start + windowMs || ts < window.start - windowMs) {
          window = { start: ts, count: 0 };
          windows.set(key, window);
          opened.push(key, ts);
        }
        window.count++;
        return window.count <= limit ? record : null;
      },
    };
  },
});
