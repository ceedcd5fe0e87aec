import { fieldReader, fieldText, type FieldReader } from './fields.ts';
import { detectLevel } from './level-detect.ts';
import type { MapFn, ProcessorModule } from './types.ts';

interface CounterParams {
  by: 'level' | 'pattern' | 'field';
  field?: string;
  pattern?: string;
  group: number;
  ignoreCase?: boolean;
  top: number;
}

export interface CounterState {
  /** Most frequent first (ties by key), at most `top`. */
  counts: [key: string, count: number][];
  /** Keys held, "(other)" included: past MAX_KEYS, new keys are counted under OTHER_KEY. */
  distinct: number;
}

/** What a counter gained in a piece of the run: keys in first-seen order with their counts. */
type CounterPart = [key: string, count: number][];

/** Keeps memory flat on high-cardinality keys (ids, IPs). */
export const MAX_KEYS = 100_000;
export const OTHER_KEY = '(other)';
export const NO_MATCH_KEY = '(no match)';
/** By field: records without the field (or with a null value). */
export const NO_FIELD_KEY = '(none)';

/** Number of capture groups: an empty alternative makes any pattern match "". */
function groupCount(pattern: string): number {
  return (new RegExp(`${pattern}|`).exec('') as RegExpExecArray).length - 1;
}

export const counter: ProcessorModule = {
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
        description: 'How many of the most frequent keys the state reports.',
        example: 20,
      },
    ],
  },
  check(params) {
    const { by, field, pattern, group } = params as unknown as CounterParams;
    if (by === 'field' && field === undefined) return { path: 'field', message: 'required when by is "field"' };
    if (by === 'level' && field !== undefined) {
      return { path: 'field', message: 'only used when by is "field" or "pattern"; add "by": "field"' };
    }
    if (by === 'pattern') {
      if (pattern === undefined) return { path: 'pattern', message: 'required when by is "pattern"' };
      const groups = groupCount(pattern);
      if (group > groups) {
        return { path: 'group', message: `pattern has ${groups} capture group(s), not ${group}` };
      }
    } else if (pattern !== undefined) {
      // Silently counting by level would hide the mistake.
      return { path: 'pattern', message: 'only used when by is "pattern"; add "by": "pattern"' };
    }
    return null;
  },
  create(params) {
    const { by, field, pattern, group, ignoreCase, top } = params as unknown as CounterParams;
    const regex = by === 'pattern' && pattern !== undefined ? new RegExp(pattern, ignoreCase ? 'i' : '') : null;
    const read = field === undefined ? null : fieldReader(field);
    // Keys in first-seen order: the order a cap applies in, piece after piece.
    const counts = new Map<string, number>();
    // What the lines counted since the last drain() added (a range worker reports it in pieces).
    let gained = new Map<string, number>();

    const addTo = (table: Map<string, number>, key: string, by: number): void => {
      const n = table.get(key);
      if (n !== undefined) table.set(key, n + by);
      else if (table.size < MAX_KEYS) table.set(key, by);
      else table.set(OTHER_KEY, (table.get(OTHER_KEY) ?? 0) + by);
    };
    const add = (key: string): void => addTo(gained, key, 1);

    // One closure per mode, so the per-record path has no branching on the config.
    let map: MapFn;
    if (by === 'level') {
      map = (record) => {
        add(record.level ?? detectLevel(record.text));
        return record;
      };
    } else if (by === 'field') {
      const readKey = read as FieldReader;
      map = (record) => {
        add(fieldText(readKey(record)) ?? NO_FIELD_KEY);
        return record;
      };
    } else if (read === null) {
      const keyRegex = regex as RegExp;
      map = (record) => {
        add(keyRegex.exec(record.text)?.[group] ?? NO_MATCH_KEY);
        return record;
      };
    } else {
      const keyRegex = regex as RegExp;
      map = (record) => {
        // A record without the field has nothing to match.
        const text = fieldText(read(record));
        add((text === null ? undefined : keyRegex.exec(text)?.[group]) ?? NO_MATCH_KEY);
        return record;
      };
    }

    const settle = () => {
      for (const [key, n] of gained) addTo(counts, key, n);
      gained = new Map();
    };
    return {
      kind: 'map',
      map,
      drain: (): CounterPart => {
        const part: CounterPart = [...gained];
        gained = new Map();
        return part;
      },
      absorb: (part: unknown) => {
        for (const [key, n] of part as CounterPart) addTo(counts, key, n);
      },
      state: (): CounterState => {
        settle();
        return {
          counts: [...counts]
            .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
            .slice(0, top),
          distinct: counts.size,
        };
      },
    };
  },
};
