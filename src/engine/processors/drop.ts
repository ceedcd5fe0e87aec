import { defineProcessor } from './define.ts';

export const drop = defineProcessor({
  descriptor: {
    type: 'drop',
    title: 'Drop fields',
    description: 'Removes fields from each record; the record itself goes on (use `filter` to drop records).',
    kind: 'map',
    params: [
      {
        name: 'fields',
        type: 'names',
        required: true,
        description: 'Names of the fields to remove.',
        example: ['password', 'thread'],
      },
    ],
  },
  check({ fields }) {
    return fields.length === 0 ? { path: 'fields', message: 'needs at least one field name' } : null;
  },
  create({ fields }) {
    return {
      kind: 'map',
      map: (record) => {
        const own = record.fields;
        if (own !== undefined) for (const name of fields) if (Object.hasOwn(own, name)) delete own[name];
        return record;
      },
    };
  },
});
