import { compileLayout } from '../formats/custom.ts';
import { epochToMs } from '../formats/time.ts';
import { createTimestampContext } from '../metrics/timestamps.ts';
import { defineProcessor } from './define.ts';
import { fieldReader } from './fields.ts';

/** A field that is missing or not a time, under `strict`. The name is shown to users as the error type. */
export class TimestampUnreadable extends Error {
  override name = 'TimestampUnreadable';
}

const DIGITS = /^\s*-?\d+(?:\.\d+)?\s*$/;

export const timestamp = defineProcessor({
  descriptor: {
    type: 'timestamp',
    title: 'Timestamp',
    description: 'Reads a field as the time of the entry, for the histogram of log time and the processors that work in log time (dedupe, throttle).',
    kind: 'map',
    details: [
      'With `layout` "auto", a number (or a string of digits) is an epoch in seconds, milliseconds, microseconds or nanoseconds by its size, and a text is read in any layout Linesight knows (ISO 8601, syslog, Apache `10/Oct/2000:13:55:36 -0700`, ...).',
      'A layout such as `yyyy-MM-dd HH:mm:ss.SSS` reads that layout exactly (tokens `yyyy yy MM MMM dd HH mm ss SSS Z`, text in single quotes); "iso", "epoch" (seconds) and "epoch_ms" name one layout.',
      'A time without a zone is in the run\'s time zone.',
    ].join(' '),
    params: [
      {
        name: 'field',
        type: 'string',
        required: true,
        description: 'The field that holds the time (set by `parse`, `json`, `kv` or `extract`).',
        example: 'time',
      },
      {
        name: 'layout',
        type: 'string',
        default: 'auto',
        description: 'How the time is written: "auto", "iso", "epoch", "epoch_ms", or a layout like "dd/MMM/yyyy:HH:mm:ss Z".',
        example: 'yyyy-MM-dd HH:mm:ss,SSS',
      },
      {
        name: 'strict',
        type: 'boolean',
        default: false,
        description: 'A record whose field is missing or not a time is an error of this processor (its `onError` applies); false: it keeps the time it had.',
        example: true,
      },
    ],
  },
  check({ layout }) {
    const compiled = compileLayout(layout);
    return compiled.ok ? null : { path: 'layout', message: compiled.error };
  },
  create({ field, layout, strict }, context) {
    const compiled = compileLayout(layout);
    if (!compiled.ok) throw new Error(`timestamp: layout: ${compiled.error}`);
    const readText = compiled.value;
    const auto = layout === 'auto';
    const read = fieldReader(field);
    const ctx = createTimestampContext({ timeZoneOffsetMinutes: context.timeZoneOffsetMinutes });
    const timeOf = (value: unknown): number | null => {
      if (typeof value === 'number') {
        if (!Number.isFinite(value)) return null;
        if (auto) return epochToMs(value);
        value = String(value); // "epoch" and "epoch_ms" read it as written
      }
      if (typeof value !== 'string') return null;
      if (auto && DIGITS.test(value)) return epochToMs(Number(value));
      return readText(value.trim(), ctx);
    };
    return {
      kind: 'map',
      map: (record) => {
        const value = read(record);
        const time = timeOf(value);
        if (time !== null) record.ts = time;
        else if (strict) {
          throw new TimestampUnreadable(value === undefined ? `the record has no field "${field}"` : `field "${field}" is not a time in layout "${layout}": ${JSON.stringify(value).slice(0, 80)}`);
        }
        return record;
      },
    };
  },
});
