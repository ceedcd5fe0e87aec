import { fieldNumber, fieldReader, fieldText } from './fields.ts';
import type { ProcessorModule } from './types.ts';

export const COMPARISON_OPS = ['==', '!=', '<', '<=', '>', '>='] as const;
type ComparisonOp = (typeof COMPARISON_OPS)[number];

interface FilterParams {
  pattern?: string;
  field?: string;
  op?: ComparisonOp;
  value?: number | string;
  invert: boolean;
  ignoreCase: boolean;
}

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

export const filter: ProcessorModule = {
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
        description: 'JavaScript regular expression searched anywhere in the line (or in the value of `field`).',
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
  check(params) {
    const { pattern, field, op, value, ignoreCase } = params as unknown as FilterParams;
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
  create(params) {
    const { pattern, field, op, value, invert, ignoreCase } = params as unknown as FilterParams;
    const read = field === undefined ? null : fieldReader(field);
    if (pattern === undefined) {
      // check() guarantees op, value and field here.
      const passes = comparison(op as ComparisonOp, value as number | string);
      const readField = read as NonNullable<typeof read>;
      return { kind: 'map', map: (record) => (passes(readField(record)) !== invert ? record : null) };
    }
    // No `g` flag: test() must not carry lastIndex from one line to the next.
    const regex = new RegExp(pattern, ignoreCase ? 'i' : '');
    if (read === null) return { kind: 'map', map: (record) => (regex.test(record.text) !== invert ? record : null) };
    return {
      kind: 'map',
      map: (record) => {
        const text = fieldText(read(record));
        return (text !== null && regex.test(text)) !== invert ? record : null;
      },
    };
  },
};
