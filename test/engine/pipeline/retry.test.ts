import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { PipelineExecutor, PipelineStopped, type ExecutorHooks } from '../../../src/engine/pipeline/executor.ts';
import { buildGraph, instantiate } from '../../../src/engine/pipeline/graph.ts';
import { toConfigJson } from '../../../src/engine/report/report.ts';
import { runLog } from '../../../src/engine/run.ts';
import type { MapFn } from '../../../src/engine/processors/types.ts';
import type { LogRecord } from '../../../src/engine/types.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

/** A pipeline whose first processor is replaced by `map` (a processor that fails as told). */
function withFlaky(onError: unknown, map: MapFn) {
  const graph = buildGraph(config({ processors: [{ type: 'uppercase', id: 'flaky', onError, circuit: false }, { type: 'lowercase', id: 'after' }] }));
  if (!graph.ok) throw new Error(formatIssues(graph.error));
  const instances = instantiate(graph.value);
  instances[0] = { kind: 'map', map };
  const retries: { attempts: number; succeeded: boolean; error?: unknown }[] = [];
  const errors: unknown[] = [];
  const hooks: ExecutorHooks = {
    onRetry: (_node, _record, attempts, succeeded, error) => retries.push({ attempts, succeeded, ...(succeeded ? {} : { error }) }),
    onError: (_node, _record, error) => errors.push(error),
  };
  const executor = new PipelineExecutor(graph.value, instances, graph.value.nodes.map(() => null), hooks);
  return { executor, retries, errors };
}

const line = (text: string, lineNo = 1): LogRecord => ({ lineNo, offset: 0, text });

/** Fails the first `failures` calls for each line, changing its text before throwing. */
function failingTimes(failures: number): MapFn & { seen: string[] } {
  const calls = new Map<number, number>();
  const seen: string[] = [];
  const map = (record: LogRecord) => {
    seen.push(record.text);
    const n = (calls.get(record.lineNo) ?? 0) + 1;
    calls.set(record.lineNo, n);
    record.text = 'half-done';
    if (n <= failures) throw new Error(`failure ${n}`);
    record.text = `ok ${n}`;
    return record;
  };
  return Object.assign(map, { seen });
}

describe('onError retry', () => {
  it('tries a failing line again with the text it came with, and counts the retry', () => {
    const flaky = failingTimes(1);
    const { executor, retries, errors } = withFlaky({ retry: 2 }, flaky);
    const out = executor.process([line('A')]);
    expect(out.map((r) => r.text)).toEqual(['ok 2']);
    expect(flaky.seen).toEqual(['A', 'A']);
    expect(executor.counters[0]).toMatchObject({ retries: 1, errors: 0, linesOut: 1 });
    expect(retries).toEqual([{ attempts: 1, succeeded: true }]);
    expect(errors).toEqual([]);
  });

  it('applies the policy after the last retry fails: then "pass" sends the line on unchanged', () => {
    const { executor, retries, errors } = withFlaky({ retry: 2, then: 'pass' }, failingTimes(5));
    const out = executor.process([line('A'), line('B', 2)]);
    expect(out.map((r) => r.text)).toEqual(['a', 'b']);
    expect(executor.counters[0]).toMatchObject({ retries: 4, errors: 2, linesOut: 0 });
    expect(retries.map((r) => [r.attempts, r.succeeded, (r.error as Error).message])).toEqual([
      [2, false, 'failure 3'],
      [2, false, 'failure 3'],
    ]);
    expect(errors).toHaveLength(2);
  });

  it('drops the line after its retries by default, and stops the run with then "stop"', () => {
    const dropping = withFlaky({ retry: 1 }, failingTimes(5));
    expect(dropping.executor.process([line('A')])).toEqual([]);
    expect(dropping.executor.counters[0]).toMatchObject({ retries: 1, errors: 1 });
    const stopping = withFlaky({ retry: 1, then: 'stop' }, failingTimes(5));
    expect(() => stopping.executor.process([line('A')])).toThrow(PipelineStopped);
  });

  it('does not retry without retry, whatever the policy', () => {
    const flaky = failingTimes(1);
    const { executor, retries } = withFlaky('pass', flaky);
    executor.process([line('A')]);
    expect(flaky.seen).toEqual(['A']);
    expect(executor.counters[0].retries).toBe(0);
    expect(retries).toEqual([]);
  });

  it('is validated with its path, and written back as it was given', () => {
    const refused = (onError: unknown) => {
      const result = parsePipeline({ processors: [{ type: 'json', onError }] });
      if (result.ok) throw new Error('expected a refusal');
      return formatIssues(result.error);
    };
    expect(refused({ retry: 0 })).toBe('processors[0].onError.retry: expected a value from 1 to 10, got 0');
    expect(refused({ retry: 2, then: 'skip' })).toMatch(/^processors\[0\]\.onError\.then: expected one of "drop", "pass", "stop"/);
    expect(refused({ tries: 2 })).toMatch(/^processors\[0\]\.onError\.tries: unknown key "tries" for onError \(known: retry, then\)/);
    expect(refused({})).toMatch(/^processors\[0\]\.onError\.retry: required/);
    expect(refused('again')).toMatch(/^processors\[0\]\.onError: expected one of "drop", "pass", "stop", or \{"retry": N\}/);
    const parsed = config({ processors: [{ type: 'json', onError: { retry: 2, then: 'pass' } }, { type: 'uppercase', onError: 'stop' }] });
    expect(parsed.processors.map((p) => [p.onError, p.retry])).toEqual([
      ['pass', 2],
      ['stop', 0],
    ]);
    const json = toConfigJson(parsed);
    expect(json.processors.map((p) => p.onError)).toEqual([{ retry: 2, then: 'pass' }, 'stop']);
    expect(config(json).processors.map((p) => [p.onError, p.retry])).toEqual([
      ['pass', 2],
      ['stop', 0],
    ]);
  });

  it('shows retries in the report’s processor stats and as processor_retry events', async () => {
    const lines = ['{"a":1}', 'not json', '{"a":2}'];
    const report = await runLog(new Blob([`${lines.join('\n')}\n`]), config({ processors: [{ type: 'json', onError: { retry: 2 }, circuit: false }] }));
    expect(report.processors[0]).toMatchObject({ retries: 2, errors: 1, linesOut: 2 });
    const events = report.events.items.filter((e) => e.event === 'processor_retry');
    expect(events).toEqual([
      expect.objectContaining({ component: 'json', level: 'warn', lineNo: 2, attempts: 2, outcome: 'failed', type: 'JsonParseError' }),
    ]);
  });
});
