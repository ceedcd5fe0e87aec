import { defineProcessor } from './define.ts';

export const lowercase = defineProcessor({
  descriptor: {
    type: 'lowercase',
    title: 'Lowercase',
    description: 'Changes the text of each line to lower case.',
    kind: 'map',
    params: [],
  },
  create() {
    return {
      kind: 'map',
      map: (record) => {
        record.text = record.text.toLowerCase();
        return record;
      },
    };
  },
});
