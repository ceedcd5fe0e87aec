import type { LogRecord } from '../types.ts';
import { defineProcessor } from './define.ts';
import { fieldReader, fieldText, setField } from './fields.ts';

const SPACE = 32;
const TAB = 9;
const BACKSLASH = 92;

/**
 * Reads `key=value` pairs in one pass over the text. A value may be quoted ("..." or '...',
 * with \" \' and \\ inside); a word without the separator is skipped. Calls `pair` per pair.
 */
export function readPairs(
  text: string,
  separator: string,
  delimiter: string,
  pair: (key: string, value: string) => void,
): void {
  const n = text.length;
  // A blank delimiter means any run of blanks and tabs.
  const blank = delimiter === ' ';
  const atDelimiter = blank
    ? (i: number) => {
        const c = text.charCodeAt(i);
        return c === SPACE || c === TAB;
      }
    : (i: number) => text.startsWith(delimiter, i);
  const delimiterLength = blank ? 1 : delimiter.length;
  let i = 0;
  while (i < n) {
    while (i < n && atDelimiter(i)) i += delimiterLength;
    const keyStart = i;
    while (i < n && !atDelimiter(i) && !text.startsWith(separator, i)) i++;
    if (i >= n || atDelimiter(i) || i === keyStart) {
      // A word without a separator, or a separator with no key before it: skipped.
      while (i < n && !atDelimiter(i)) i++;
      continue;
    }
    const key = text.slice(keyStart, i);
    i += separator.length;
    const quote = text.charCodeAt(i);
    if (quote === 34 /* " */ || quote === 39 /* ' */) {
      let value = '';
      let j = i + 1;
      let chunk = j;
      while (j < n && text.charCodeAt(j) !== quote) {
        if (text.charCodeAt(j) === BACKSLASH && j + 1 < n) {
          value += text.slice(chunk, j);
          chunk = j + 1; // the escaped character is kept, the backslash dropped
          j += 2;
        } else j++;
      }
      value += text.slice(chunk, j);
      pair(key, value);
      i = j + 1; // past the closing quote (or the end, for a value left open)
    } else {
      const valueStart = i;
      while (i < n && !atDelimiter(i)) i++;
      pair(key, text.slice(valueStart, i));
    }
  }
}

export const kv = defineProcessor({
  descriptor: {
    type: 'kv',
    title: 'Key-value',
    description: 'Sets fields from `key=value` pairs in the line (or in a field), as logfmt and many loggers write them.',
    kind: 'map',
    details: [
      'Pairs are separated by `delimiter` and read in one pass: `user=alice action="log in" took=12ms` gives `user`, `action` (`log in`) and `took`.',
      'A value in double or single quotes may hold the delimiter and escaped quotes (`\\"`); words without the separator are skipped.',
      'A key seen twice keeps its last value. A line without pairs passes unchanged.',
    ].join(' '),
    params: [
      {
        name: 'field',
        type: 'string',
        description: 'Record field to read the pairs from instead of the line text.',
        example: 'message',
      },
      {
        name: 'separator',
        type: 'string',
        default: '=',
        description: 'What separates a key from its value.',
        example: ':',
      },
      {
        name: 'delimiter',
        type: 'string',
        default: ' ',
        description: 'What separates one pair from the next; a single blank means any run of blanks and tabs.',
        example: '&',
      },
      {
        name: 'prefix',
        type: 'string',
        default: '',
        description: 'Put before each key to make the field name, so pairs cannot overwrite fields set earlier.',
        example: 'kv_',
      },
      {
        name: 'keys',
        type: 'names',
        description: 'Only these keys become fields; absent: every key.',
        example: ['user', 'status'],
      },
    ],
  },
  check({ separator, delimiter }) {
    if (separator === '') return { path: 'separator', message: 'cannot be empty' };
    if (delimiter === '') return { path: 'delimiter', message: 'cannot be empty' };
    if (separator === delimiter) return { path: 'delimiter', message: 'must differ from the separator' };
    return null;
  },
  create({ field, separator, delimiter, prefix, keys }) {
    const read = field === undefined ? null : fieldReader(field);
    const wanted = keys === undefined ? null : new Set(keys);
    let target: LogRecord;
    const pair = (key: string, value: string) => {
      if (wanted === null || wanted.has(key)) setField(target, prefix + key, value);
    };
    return {
      kind: 'map',
      map: (record) => {
        const text = read === null ? record.text : fieldText(read(record));
        if (text === null) return record;
        target = record;
        readPairs(text, separator, delimiter, pair);
        return record;
      },
    };
  },
});
