import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { runLog } from '../../../src/engine/run.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

describe('a catastrophically backtracking pattern in a run', () => {
  it('counts every line, the 500 before the hostile ones included, with the right answers', async () => {
    const good = Array.from({ length: 500 }, (_, i) => `good line ${i}`);
    const hostile = Array.from({ length: 20 }, () => `${'a'.repeat(100_000)}!`);
    const matching = Array.from({ length: 5 }, () => 'a'.repeat(100_000));
    const text = `${[...good, ...hostile, ...matching].join('\n')}\n`;
    const report = await runLog(
      new Blob([text]),
      config({
        processors: [
          { type: 'filter', id: 'runaway', pattern: '(a+)+$' },
          { type: 'counter', id: 'kept', by: 'pattern', pattern: '^(a{3})' },
        ],
      }),
    );
    expect(report.run.status).toBe('completed');
    expect(report.processors[0]).toMatchObject({ linesIn: 525, linesOut: 5, dropped: 520, errors: 0 });
    expect(report.counters).toEqual([{ processor: 'kept', counts: [['aaa', 5]], distinct: 1 }]);
  });

  it('refuses lookahead in any processor that takes a pattern, naming the place', () => {
    const why = 'lookahead (?=...) is not supported: patterns run on a linear-time engine so no pattern can hang';
    const result = parsePipeline({
      processors: [
        { type: 'filter', pattern: 'a(?=b)' },
        { type: 'router', routes: [{ branch: 'x', pattern: 'x(?=y)', next: 'counter' }] },
        { type: 'counter', by: 'pattern', pattern: '(\\w+)(?=:)' },
        { type: 'redact', patterns: [{ name: 'n', pattern: 'n(?=1)' }] },
      ],
    });
    if (result.ok) throw new Error('expected a refusal');
    expect(result.error).toEqual([
      { path: 'processors[0].pattern', message: why },
      { path: 'processors[1].routes[0].pattern', message: why },
      { path: 'processors[2].pattern', message: why },
      { path: 'processors[3].patterns[0].pattern', message: why },
    ]);
  });
});
