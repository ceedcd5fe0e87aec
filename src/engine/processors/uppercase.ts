import type { ProcessorModule } from './types.ts';

export const uppercase: ProcessorModule = {
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
};
