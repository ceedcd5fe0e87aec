import { defineProcessor } from './define.ts';
import { hasField, setField } from './fields.ts';

export const rename = defineProcessor({
  descriptor: {
    type: 'rename',
    title: 'Rename field',
    description: 'Renames a field of each record; records without it pass unchanged.',
    kind: 'map',
    params: [
      { name: 'from', type: 'string', required: true, description: 'The field\'s present name.', example: 'msg' },
      { name: 'to', type: 'string', required: true, description: 'Its new name.', example: 'message' },
      {
        name: 'overwrite',
        type: 'boolean',
        default: true,
        description: 'Replace a field that already has the new name; false leaves both as they are.',
        example: false,
      },
    ],
  },
  check({ from, to }) {
    if (from === '' || to === '') return { path: from === '' ? 'from' : 'to', message: 'cannot be empty' };
    return from === to ? { path: 'to', message: 'is the same name as from' } : null;
  },
  create({ from, to, overwrite }) {
    return {
      kind: 'map',
      map: (record) => {
        const fields = record.fields;
        if (fields === undefined || !Object.hasOwn(fields, from) || (!overwrite && hasField(record, to))) return record;
        setField(record, to, fields[from]);
        delete fields[from];
        return record;
      },
    };
  },
});
