import { defineProcessor } from './define.ts';

export const uppercase = defineProcessor({
  descriptor: {
    type: 'uppercase',
    title: 'Uppercase',
    description: 'Changes the text of each line to upper case.',
    kind: 'map',
    params: [],
  },
  create() {
    return {
      kind: 'map',
      map: (record) => {
        record.text = record.text.toUpperCase();
        return record;
      },
    };
  },
});
