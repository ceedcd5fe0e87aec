import { validPattern } from '../text/pattern.ts';
import { COUNTER_CAPS, KeyCounter, type CounterSummary } from './counter-table.ts';
import { defineProcessor } from './define.ts';
import { fieldReader, fieldText } from './fields.ts';
import { detectLevel } from './level-detect.ts';
import type { MapFn, PartialState } from './types.ts';

export { mergeCounterStates, counterSummary, OTHER_KEY, type CounterTable } from './counter-table.ts';

/** What the counter's state() gives: its top keys (see counter-table.ts). */
export type CounterState = CounterSummary;

/** Keeps memory flat on high-cardinality keys (ids, IPs); bytes are capped too (COUNTER_CAPS). */
export const MAX_KEYS = COUNTER_CAPS.keys;
export const NO_MATCH_KEY = '(no match)';
/** By field: records without the field (or with a null value). */
export const NO_FIELD_KEY = '(none)';

export const counter = defineProcessor({
  descriptor: {
    type: 'counter',
    title: 'Counter',
    description: 'Counts lines per level, per captured value or per value of a field, passing every line on unchanged.',
    kind: 'map',
    params: [
      {
        name: 'by',
        type: 'enum',
        values: ['level', 'pattern', 'field'],
        default: 'level',
        description:
          'What to count by: the line\'s level (detected from the text when no earlier processor set it), the capture of `pattern`, or the value of `field` (as text).',
        example: 'pattern',
      },
      {
        name: 'field',
        type: 'string',
        description:
          'With `by: "field"`: the record field (set by `parse` or `json`) whose value is the key; records without it count under "(none)". With `by: "pattern"`: the field the pattern is searched in instead of the line.',
        example: 'component',
      },
      {
        name: 'pattern',
        type: 'regex',
        description: 'With `by: "pattern"` (and only then): regular expression whose capture is the key; lines that do not match count under "(no match)".',
        example: 'status=(\\d{3})',
      },
      {
        name: 'group',
        type: 'integer',
        default: 1,
        min: 0,
        max: 99,
        description: 'Capture group of `pattern` used as the key; 0 is the whole match.',
        example: 2,
      },
      {
        name: 'ignoreCase',
        type: 'boolean',
        default: false,
        description: 'Match `pattern` regardless of case.',
        example: true,
      },
      {
        name: 'top',
        type: 'integer',
        default: 100,
        min: 1,
        max: 10000,
        description: 'How many of the most frequent keys the state reports. Keys are cut to 1 KiB (counted as "cut"); past 100,000 keys or 8 MB of keys, new keys count under "(other)".',
        example: 20,
      },
    ],
  },
  check({ by, field, pattern, group }) {
    if (by === 'field' && field === undefined) return { path: 'field', message: 'required when by is "field"' };
    if (by === 'level' && field !== undefined) {
      return { path: 'field', message: 'only used when by is "field" or "pattern"; add "by": "field"' };
    }
    if (by === 'pattern') {
      if (pattern === undefined) return { path: 'pattern', message: 'required when by is "pattern"' };
      const groups = validPattern(pattern).groupCount;
      if (group > groups) {
        return { path: 'group', message: `pattern has ${groups} capture group(s), not ${group}` };
      }
    } else if (pattern !== undefined) {
      // Silently counting by level would hide the mistake.
      return { path: 'pattern', message: 'only used when by is "pattern"; add "by": "pattern"' };
    }
    return null;
  },
  create({ by, field, pattern, group, ignoreCase, top }) {
    const read = field === undefined ? null : fieldReader(field);
    let table = new KeyCounter();
    const add = (key: string) => table.add(key);

    // One closure per mode, so the per-record path has no branching on the config.
    let map: MapFn;
    if (by === 'level') {
      map = (record) => {
        add(record.level ?? detectLevel(record.text));
        return record;
      };
    } else if (by === 'field') {
      if (read === null) throw new Error('counter: by "field" needs a field');
      map = (record) => {
        add(fieldText(read(record)) ?? NO_FIELD_KEY);
        return record;
      };
    } else {
      if (pattern === undefined) throw new Error('counter: by "pattern" needs a pattern');
      const compiled = validPattern(pattern, { ignoreCase });
      const keyOf = (text: string | null) => (text === null ? undefined : compiled.exec(text)?.groups[group]) ?? NO_MATCH_KEY;
      // A record without the field has nothing to match.
      map =
        read === null
          ? (record) => {
              add(keyOf(record.text));
              return record;
            }
          : (record) => {
              add(keyOf(fieldText(read(record))));
              return record;
            };
    }

    return {
      kind: 'map',
      map,
      state: (): CounterState => table.summary(top),
      partial: () => ({ kind: 'counter', table: table.table(), top }),
      takePartial: () => {
        const part: PartialState = { kind: 'counter', table: table.table(), top };
        table = new KeyCounter();
        return part;
      },
    };
  },
});
