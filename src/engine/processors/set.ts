import { defineProcessor } from './define.ts';
import { hasField, setField } from './fields.ts';

export const set = defineProcessor({
  descriptor: {
    type: 'set',
    title: 'Set field',
    description: 'Sets a field of each record to a value.',
    kind: 'map',
    params: [
      { name: 'field', type: 'string', required: true, description: 'Name of the field to set.', example: 'env' },
      { name: 'value', type: 'value', required: true, description: 'Its value: a string, a number, true or false.', example: 'production' },
      {
        name: 'overwrite',
        type: 'boolean',
        default: true,
        description: 'Replace a value the record already has; false keeps it.',
        example: false,
      },
    ],
  },
  check({ field }) {
    return field === '' ? { path: 'field', message: 'cannot be empty' } : null;
  },
  create({ field, value, overwrite }) {
    return {
      kind: 'map',
      map: (record) => {
        if (overwrite || !hasField(record, field)) setField(record, field, value);
        return record;
      },
    };
  },
});
