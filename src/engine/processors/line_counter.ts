import { defineProcessor } from './define.ts';

const PLACEHOLDER = /\{(\w+)\}/g;
const COUNT = 0;
const LINE = 1;
const TOKENS: ReadonlyMap<string, number> = new Map([
  ['count', COUNT],
  ['line', LINE],
]);

/** Splits the format once so each line costs only concatenations. */
function compileFormat(format: string): { literals: string[]; tokens: number[] } {
  const literals: string[] = [];
  const tokens: number[] = [];
  let last = 0;
  for (const m of format.matchAll(PLACEHOLDER)) {
    const token = TOKENS.get(m[1]);
    if (token === undefined) continue; // check() reports it; left as literal text
    literals.push(format.slice(last, m.index));
    tokens.push(token);
    last = m.index + m[0].length;
  }
  literals.push(format.slice(last));
  return { literals, tokens };
}

export const lineCounter = defineProcessor({
  descriptor: {
    type: 'line_counter',
    title: 'Line counter',
    description: 'Numbers the lines it sees, rewriting each line with a format.',
    kind: 'map',
    ordered: 'numbers the lines it sees in file order ({count})',
    params: [
      {
        name: 'format',
        type: 'string',
        default: '{count}: {line}',
        description:
          'New text of the line: `{count}` is the running count of lines this processor has seen (from 1), `{line}` the current text.',
        example: 'Line {count}: {line}',
      },
    ],
  },
  check({ format }) {
    for (const m of format.matchAll(PLACEHOLDER)) {
      // A typo like {cuont} would otherwise be printed literally on every line.
      if (!TOKENS.has(m[1])) {
        return { path: 'format', message: `unknown placeholder ${m[0]}; use {count} or {line}` };
      }
    }
    return null;
  },
  create({ format }) {
    const { literals, tokens } = compileFormat(format);
    const n = tokens.length;
    let count = 0;
    return {
      kind: 'map',
      map: (record) => {
        count++;
        let text = literals[0];
        for (let i = 0; i < n; i++) {
          text += tokens[i] === COUNT ? count : record.text;
          text += literals[i + 1];
        }
        record.text = text;
        return record;
      },
      state: () => ({ count }),
    };
  },
});
