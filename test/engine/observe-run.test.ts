import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../src/engine/pipeline/config.ts';
import { LogRun, runLog, type RunOptions } from '../../src/engine/run.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const run = (lines: string[], pipeline: unknown, options: RunOptions = {}) =>
  runLog(new Blob([lines.join('\n') + '\n']), config(pipeline), options);

/** Every 4th line is not JSON. */
const MIXED = Array.from({ length: 400 }, (_, i) => (i % 4 === 3 ? `plain text ${i}` : JSON.stringify({ n: i, level: 'info' })));

const ROUTED = {
  processors: [
    { type: 'level' },
    {
      type: 'router',
      id: 'start',
      routes: [{ branch: 'error', levels: ['ERROR'], next: 'error_counter' }],
      default: 'general',
    },
    { type: 'counter', id: 'error_counter' },
    { type: 'uppercase', id: 'general' },
  ],
};

describe('error policies', () => {
  it('drop (the default) counts the error and drops the line', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json', circuit: false }] });
    expect(report.processors[0]).toMatchObject({ linesIn: 400, linesOut: 300, errors: 100, dropped: 0, errorPolicy: 'drop' });
    expect(report.totals.linesOut).toBe(300);
    expect(report.run.status).toBe('completed');
  });

  it('pass sends the failing line on unchanged', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json', onError: 'pass', circuit: false }, { type: 'uppercase' }] });
    expect(report.processors[0]).toMatchObject({ errors: 100, linesOut: 300 });
    expect(report.processors[1].linesIn).toBe(400);
    expect(report.totals.linesOut).toBe(400);
  });

  it('stop ends the run as failed, naming the processor and the line', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json', id: 'parse', onError: 'stop' }] });
    expect(report.run.status).toBe('failed');
    expect(report.run.message).toMatch(/processor "parse".*line 4: JsonParseError/);
    expect(report.errors.total).toBe(1);
  });

  it('stop lets the lines before the failing one finish their way, and no line after it start', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => (i === 4 ? 'not json' : `{"n":${i}}`));
    const report = await run(lines, { processors: [{ type: 'json', id: 'parse', onError: 'stop' }, { type: 'counter', id: 'by_level' }] });
    expect(report.processors[0]).toMatchObject({ linesIn: 5, linesOut: 4, errors: 1 });
    expect(report.processors[1].linesIn).toBe(4);
    expect(report.graph.edges[0].lines).toBe(4);
  });
});

describe('errors section', () => {
  it('groups errors by processor and type with samples of the line and message', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json', id: 'parse', circuit: false }] });
    expect(report.errors.total).toBe(100);
    expect(report.errors.byProcessor).toEqual({ parse: 100 });
    expect(report.errors.byType).toEqual({ JsonParseError: 100 });
    expect(report.errors.items[0]).toMatchObject({ processor: 'parse', lineNo: 4, text: 'plain text 3', type: 'JsonParseError' });
    expect(report.errors.items[0].message.length).toBeGreaterThan(0);
  });

  it('keeps exact totals when items are evicted by the cap', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json', circuit: false }] }, { caps: { errors: 10 } });
    expect(report.errors.total).toBe(100);
    expect(report.errors.items).toHaveLength(10);
    expect(report.errors.items.at(-1)!.lineNo).toBe(400);
  });
});

describe('circuit breakers', () => {
  it('open after consecutive errors, let lines go around, and are visible in the report and events', async () => {
    const lines = [...Array.from({ length: 30 }, (_, i) => `bad ${i}`), ...Array.from({ length: 20 }, (_, i) => `{"ok":${i}}`)];
    const report = await run(lines, {
      processors: [{ type: 'json', id: 'parse', circuit: { consecutiveErrors: 5, cooldownMs: 3_600_000 } }, { type: 'uppercase' }],
    });
    const parse = report.processors[0];
    expect(parse).toMatchObject({ errors: 5, circuit: 'open', circuitOpenings: 1, bypassed: 45 });
    // While open, lines pass around the processor unchanged (whileOpen: pass).
    expect(report.processors[1].linesIn).toBe(45);
    const change = report.events.items.find((e) => e.event === 'circuit_state_change');
    expect(change).toMatchObject({ component: 'parse', from: 'closed', to: 'open', level: 'warn' });
  });

  it('drop lines while open when whileOpen is drop', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => `bad ${i}`);
    const report = await run(lines, { processors: [{ type: 'json', circuit: { consecutiveErrors: 2, cooldownMs: 3_600_000, whileOpen: 'drop' } }] });
    expect(report.processors[0]).toMatchObject({ errors: 2, bypassed: 18, dropped: 18, linesOut: 0 });
  });
});

describe('traces', () => {
  it('are off by default and cost no trace at all', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json' }] });
    expect(report.traces).toEqual({ enabled: false, policy: null, seen: 0, kept: 0, items: [] });
  });

  it('follow a line through a router, with branch, status and timing at each step', async () => {
    const report = await run(['INFO hello', 'ERROR boom', 'INFO again'], ROUTED, { trace: { mode: 'all' } });
    expect(report.traces).toMatchObject({ enabled: true, policy: { mode: 'all' }, seen: 3, kept: 3 });
    const [hello, boom] = report.traces.items;
    expect(boom).toMatchObject({ lineNo: 2, text: 'ERROR boom', status: 'emitted' });
    expect(boom.steps.map((s) => [s.processor, s.status, s.branch])).toEqual([
      ['level', 'emit', undefined],
      ['start', 'route', 'error'],
      ['error_counter', 'emit', undefined],
    ]);
    for (const step of boom.steps) expect(step.durationUs).toBeGreaterThanOrEqual(0);
    // What the line looked like after a processor that changed it; nothing for those that did not.
    expect(hello.steps.at(-1)).toMatchObject({ processor: 'general', status: 'emit', text: 'INFO HELLO' });
    expect(hello.steps[0].text).toBeUndefined();
    expect(hello.offset).toBe(0);
    expect(boom.offset).toBe('INFO hello\n'.length);
  });

  it('sample 1 in N, and always trace drops and errors while the cap allows', async () => {
    const report = await run(MIXED, { processors: [{ type: 'json', circuit: false }] }, { trace: { mode: 'sample', n: 100 } });
    const sampled = report.traces.items.filter((t) => !t.steps.some((s) => s.estimated));
    expect(sampled.map((t) => t.lineNo)).toEqual([1, 101, 201, 301]);
    const errored = report.traces.items.filter((t) => t.status === 'error');
    expect(errored).toHaveLength(100);
    expect(errored[0]).toMatchObject({ lineNo: 4, text: 'plain text 3' });
    expect(errored[0].steps).toEqual([expect.objectContaining({ processor: 'json', status: 'error', estimated: true })]);
    expect(errored[0].steps[0].error).toMatch(/^JsonParseError: /);
  });

  it('rebuild the path of a line dropped downstream of a router', async () => {
    const pipeline = {
      processors: [
        { type: 'level' },
        { type: 'router', id: 'start', routes: [{ branch: 'warn', levels: ['WARN'], next: 'keep_disk' }] },
        { type: 'filter', id: 'keep_disk', pattern: 'disk' },
      ],
    };
    const report = await run(['WARN cpu hot', 'WARN disk full'], pipeline, { trace: { mode: 'first', n: 0 } });
    expect(report.traces.items).toHaveLength(1);
    expect(report.traces.items[0]).toMatchObject({ lineNo: 1, status: 'dropped', text: 'WARN cpu hot' });
    expect(report.traces.items[0].steps.map((s) => `${s.processor}:${s.status}${s.branch ? `[${s.branch}]` : ''}`)).toEqual([
      'level:emit',
      'start:route[warn]',
      'keep_disk:drop',
    ]);
  });

  it('follow a failing line that goes on under the pass policy to where it ends', async () => {
    const report = await run(['not json'], { processors: [{ type: 'json', onError: 'pass', circuit: false }, { type: 'uppercase' }] }, { trace: { mode: 'first', n: 0 } });
    expect(report.traces.items).toHaveLength(1);
    expect(report.traces.items[0].status).toBe('emitted');
    expect(report.traces.items[0].steps.map((s) => `${s.processor}:${s.status}`)).toEqual(['json:error', 'uppercase:emit']);
  });

  it('count traces of drops made within one batch against the cap, so sampled ones are not pushed out', async () => {
    const report = await run(MIXED, { processors: [{ type: 'filter', pattern: 'never matches' }] }, { trace: { mode: 'sample', n: 100 }, caps: { traces: 50 } });
    expect(report.traces.seen).toBe(50);
    expect(report.traces.items.filter((t) => !t.steps[0].estimated).map((t) => t.lineNo)).toEqual([1, 101, 201, 301]);
  });

  it('keep only the most recent traces beyond the cap, with an exact count seen', async () => {
    const report = await run(MIXED, { processors: [{ type: 'uppercase' }] }, { trace: { mode: 'all' }, caps: { traces: 50 } });
    expect(report.traces.seen).toBe(400);
    expect(report.traces.kept).toBe(50);
    expect(report.traces.items[0].lineNo).toBe(351);
  });
});

describe('events', () => {
  it('log the run from start to completion with a stage_completed per processor per batch', async () => {
    const report = await run(['a', 'b', 'c'], { processors: [{ type: 'uppercase', id: 'up' }, { type: 'filter', id: 'f', pattern: 'A' }] });
    const names = report.events.items.map((e) => `${e.component}:${e.event}`);
    expect(names[0]).toBe('run:run_started');
    expect(names.at(-1)).toBe('run:run_completed');
    const stages = report.events.items.filter((e) => e.event === 'stage_completed');
    expect(stages.map((e) => [e.component, e.recordsIn, e.recordsOut])).toEqual([
      ['up', 3, 3],
      ['f', 3, 1],
    ]);
    for (const e of report.events.items) {
      expect(new Date(e.ts).toISOString()).toBe(e.ts);
      expect(['debug', 'info', 'warn', 'error']).toContain(e.level);
    }
    expect(report.events.seen).toBe(report.events.items.length);
  });

  it('record a failed run and each processor error', async () => {
    const report = await run(['{}', 'nope'], { processors: [{ type: 'json', id: 'parse', onError: 'stop' }] });
    expect(report.events.items.find((e) => e.event === 'processor_error')).toMatchObject({ component: 'parse', lineNo: 2, type: 'JsonParseError' });
    expect(report.events.items.at(-1)).toMatchObject({ event: 'run_failed', level: 'error' });
  });
});

describe('graph section', () => {
  it('lists nodes and counts the lines that crossed each edge of a DAG', async () => {
    const report = await run(['INFO a', 'ERROR b', 'ERROR c', 'WARN d'], ROUTED);
    expect(report.graph.nodes.map((n) => n.id)).toEqual(['level', 'start', 'error_counter', 'general']);
    expect(report.graph.edges).toEqual([
      { from: 'level', to: 'start', lines: 4 },
      { from: 'start', to: 'error_counter', branch: 'error', lines: 2 },
      { from: 'start', to: 'general', branch: 'default', lines: 2 },
    ]);
  });
});

describe('drain', () => {
  it('hands out new traces, errors and events once each, with exact seen counts', async () => {
    const parsed = parsePipeline({ processors: [{ type: 'json', circuit: false }] });
    if (!parsed.ok) throw new Error(formatIssues(parsed.error));
    const logRun = new LogRun(new Blob([MIXED.join('\n')]), parsed.value, { trace: { mode: 'first', n: 10 }, caps: { events: 50 } });
    await logRun.execute();
    const first = logRun.drain();
    expect(first.errors).toHaveLength(100);
    expect(first.errors[0].stack?.length).toBeGreaterThan(0);
    expect(first.events).toHaveLength(50);
    expect(first.seen.events).toBeGreaterThan(50);
    expect(first.seen.traces).toBe(first.traces.length);
    expect(logRun.drain(first.seen)).toMatchObject({ traces: [], errors: [], events: [] });
  });
});
