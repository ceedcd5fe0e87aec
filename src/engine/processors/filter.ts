import { validPattern } from '../text/pattern.ts';
import { defineProcessor } from './define.ts';
import { fieldNumber, fieldReader, fieldText } from './fields.ts';

export const COMPARISON_OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** Whether a field's value passes `op value`; a missing value (and, for numbers, a non-numeric one) never does. */
function comparison(op: ComparisonOp, target: number | string): (value: unknown) => boolean {
  if (typeof target === 'string') {
    // Only == and != take a string (check() refuses the others).
    if (op === '==') return (value) => fieldText(value) === target;
    return (value) => {
      const text = fieldText(value);
      return text !== null && text !== target;
    };
  }
  switch (op) {
    case '==':
      return (value) => fieldNumber(value) === target;
    case '!=':
      return (value) => {
        const n = fieldNumber(value);
        return n === n && n !== target; // n === n: not NaN
      };
    case '<':
      return (value) => fieldNumber(value) < target;
    case '<=':
      return (value) => fieldNumber(value) <= target;
    case '>':
      return (value) => fieldNumber(value) > target;
    case '>=':
      return (value) => fieldNumber(value) >= target;
  }
}

export const filter = defineProcessor({
  descriptor: {
    type: 'filter',
    title: 'Filter',
    description: 'Keeps the lines that match a regular expression, or whose field passes a comparison, and drops the others.',
    kind: 'map',
    details: [
      'Give either `pattern` or `op` and `value`.',
      'With `field`, the test reads that field of the record (set by `parse` or `json`) instead of the line: `pattern` is searched in its value as text, `op` compares it with `value`.',
      'A record without the field (or with a null value) matches neither, so `invert` keeps it.',
      'Numeric comparisons read the value as a number (`404`, `"404"`); a value that is not a number does not match, whatever the op.',
    ].join(' '),
    params: [
      {
        name: 'pattern',
        type: 'regex',
        description: 'Regular expression searched anywhere in the line (or in the value of `field`); see Patterns for what it may contain.',
        example: 'timeout|refused',
      },
      {
        name: 'field',
        type: 'string',
        description: 'Name of a record field to test instead of the line text (e.g. "component", "status"). Required with `op`.',
        example: 'status',
      },
      {
        name: 'op',
        type: 'enum',
        values: COMPARISON_OPS,
        description: 'Compares the field with `value`: numerically when `value` is a number; with a string `value`, only "==" and "!=" (exact text).',
        example: '>=',
      },
      {
        name: 'value',
        type: 'scalar',
        description: 'What `op` compares the field with: a number, or a string for "==" and "!=".',
        example: 500,
      },
      {
        name: 'invert',
        type: 'boolean',
        default: false,
        description: 'Keep the lines that do not match instead.',
        example: true,
      },
      {
        name: 'ignoreCase',
        type: 'boolean',
        default: false,
        description: 'Match `pattern` regardless of case.',
        example: true,
      },
    ],
  },
  check({ pattern, field, op, value, ignoreCase }) {
    const compares = op !== undefined || value !== undefined;
    if (pattern !== undefined && compares) return { path: '', message: 'give either pattern or op and value, not both' };
    if (pattern === undefined && !compares) return { path: '', message: 'give either pattern or op and value' };
    if (pattern !== undefined) return null;
    if (op === undefined) return { path: 'op', message: `required with value (one of ${COMPARISON_OPS.join(' ')})` };
    if (value === undefined) return { path: 'value', message: `required with op (the number or string to compare with)` };
    if (typeof value === 'string' && op !== '==' && op !== '!=') {
      return { path: 'op', message: `"${op}" compares numbers: give a number value, or use "==" or "!=" with a string` };
    }
    if (field === undefined) return { path: 'field', message: 'required with op (the field to compare, e.g. "status")' };
    if (ignoreCase) return { path: 'ignoreCase', message: 'only used with pattern' };
    return null;
  },
  create({ pattern, field, op, value, invert, ignoreCase }) {
    const read = field === undefined ? null : fieldReader(field);
    if (pattern === undefined) {
      // check() guarantees op, value and field here.
      if (op === undefined || value === undefined || read === null) throw new Error('filter: a comparison needs field, op and value');
      const passes = comparison(op, value);
      return { kind: 'map', map: (record) => (passes(read(record)) !== invert ? record : null) };
    }
    const compiled = validPattern(pattern, { ignoreCase });
    if (read === null) return { kind: 'map', map: (record) => (compiled.test(record.text) !== invert ? record : null) };
    return {
      kind: 'map',
      map: (record) => {
        const text = fieldText(read(record));
        return (text !== null && compiled.test(text)) !== invert ? record : null;
      },
    };
  },
});
