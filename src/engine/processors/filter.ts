import type { ProcessorModule } from './types.ts';

interface FilterParams {
  pattern: string;
  invert: boolean;
  ignoreCase: boolean;
}

export const filter: ProcessorModule = {
  descriptor: {
    type: 'filter',
    title: 'Filter',
    description: 'Keeps the lines that match a regular expression and drops the others.',
    kind: 'map',
    params: [
      {
        name: 'pattern',
        type: 'regex',
        required: true,
        description: 'JavaScript regular expression searched anywhere in the line.',
        example: 'timeout|refused',
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
        description: 'Match letters regardless of case.',
        example: true,
      },
    ],
  },
  create(params) {
    const { pattern, invert, ignoreCase } = params as unknown as FilterParams;
    // No `g` flag: test() must not carry lastIndex from one line to the next.
    const regex = new RegExp(pattern, ignoreCase ? 'i' : '');
    return {
      kind: 'map',
      map: (record) => (regex.test(record.text) !== invert ? record : null),
    };
  },
};
