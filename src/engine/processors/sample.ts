import { defineProcessor } from './define.ts';
import { keyReader } from './fields.ts';
import { hash64 } from './hash.ts';

export const sample = defineProcessor({
  descriptor: {
    type: 'sample',
    title: 'Sample',
    description: 'Keeps 1 record in `rate` and drops the others: by line number, or by a hash of a key so that records with the same key are kept or dropped together.',
    kind: 'map',
    details: [
      'Without `fields`, the records kept are those whose line number is 1, rate + 1, 2 × rate + 1, … (a multi-line entry has the number of its first line).',
      'With `fields`, a record is kept when the hash of its key falls on 1 in `rate`: about 1 key in `rate` is kept, with all its records, whatever worker reads them.',
      'Each record is judged on its own, so sampling does not depend on the lines before it.',
    ].join(' '),
    params: [
      {
        name: 'rate',
        type: 'integer',
        required: true,
        min: 1,
        max: 1_000_000_000,
        description: 'Keep 1 record in this many.',
        example: 10,
      },
      {
        name: 'fields',
        type: 'names',
        description: 'Fields whose values, together, make the key to sample by (a missing field counts as a value of its own); absent: the line number.',
        example: ['traceId'],
      },
    ],
  },
  create({ rate, fields }) {
    if (fields === undefined) return { kind: 'map', map: (record) => ((record.lineNo - 1) % rate === 0 ? record : null) };
    const keyOf = keyReader(fields);
    return { kind: 'map', map: (record) => (hash64(keyOf(record))[0] % rate === 0 ? record : null) };
  },
});
