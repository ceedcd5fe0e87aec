import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presetText } from '../../src/ui/presets.ts';
import { makeRunId, Session } from '../../src/ui/session.svelte.ts';
import { api } from '../../src/worker/api.ts';
import { fakeEngine } from './fake-engine.ts';
import { snapshot } from './fixtures.ts';
import { captureDownloads, type Download } from './downloads.ts';

async function setup() {
  const fake = fakeEngine();
  const session = new Session(fake.engine);
  await session.ready;
  return { ...fake, session };
}

/** The processor ids of a pipeline, as the engine reads it. */
function processorIds(text: string): string[] {
  const parsed = api.validatePipeline(text);
  if (!parsed.ok) throw new Error(`the engine refused the pipeline: ${JSON.stringify(parsed.error)}`);
  return parsed.value.processors.map((p) => p.id);
}


describe('Session', () => {
  let downloads: Download[];

  beforeEach(() => {
    downloads = captureDownloads();
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('starts with the processor list and the Default preset applied', async () => {
    const { session } = await setup();
    expect(session.processors).toEqual(api.describeProcessors());
    expect(session.applied?.name).toBe('Default');
    expect(session.pipelineText).toBe(presetText('Default'));
  });

  it('keeps the previous pipeline when a config is refused, and lists the issues', async () => {
    const { session } = await setup();
    const before = session.applied;
    const refused = '{"processors": [{"type": "filter", "pattern": "("}]}';
    const checked = api.validatePipeline(refused);
    if (checked.ok) throw new Error('the engine took a filter with an unterminated group');
    expect(await session.applyPipeline(refused)).toBe(false);
    expect(session.applied).toBe(before);
    expect(session.pipelineText).toBe(refused);
    // The engine's own words, each issue with its path.
    expect(session.issues).toEqual(checked.error);
    expect(session.issues.map((issue) => issue.path)).toEqual(['processors[0].pattern']);

    expect(await session.applyPipeline('{"processors":[{"type":"uppercase"}]}')).toBe(true);
    expect(session.issues).toEqual([]);
    expect(session.applied?.name).toBe('Edited config');
  });

  it('puts an imported pipeline in the editor and applies it under the file name', async () => {
    const { session } = await setup();
    const text = presetText('Seed example')!;
    await session.importPipeline(new File([text], 'seed.json'));
    expect(session.pipelineText).toBe(text);
    expect(session.applied).toMatchObject({ name: 'seed.json', text });
  });

  it('runs a file with the applied pipeline, shows its snapshots and keeps the result', async () => {
    const { session, runs, started } = await setup();
    const file = new File(['x\n'], 'app.log');
    const done = session.open(file);
    await started(0);

    expect(session.busy).toBe(true);
    const [run] = runs;
    expect(run.file).toBe(file);
    expect(run.start).toMatchObject({ pipeline: session.applied?.text, keepOutput: true });
    expect(run.start.runId).toMatch(/^[\w-]+$/);
    // Listed before the first update: the processors of the applied pipeline, as the engine reads it.
    expect(session.snapshot?.processors.map((p) => p.id)).toEqual(processorIds(session.applied!.text));

    const update = snapshot({ runId: run.start.runId, linesRead: 42 });
    run.push(update);
    expect(session.snapshot).toBe(update);

    run.finish();
    await done;
    expect(session.busy).toBe(false);
    expect(session.result?.report.run.id).toBe(run.start.runId);
  });

  it('cancels the live run before running a newly opened file, ignoring late updates of the old one', async () => {
    const { session, runs, engine, started } = await setup();
    void session.open(new File(['a\n'], 'first.log'));
    await started(0);
    const second = session.open(new File(['b\n'], 'second.log'));
    await started(1);

    expect(engine.cancel).toHaveBeenCalledOnce();
    expect(runs.map((r) => r.file.name)).toEqual(['first.log', 'second.log']);
    runs[0].push(snapshot({ runId: runs[0].start.runId }));
    expect(session.snapshot?.file.name).toBe('second.log');

    runs[1].finish();
    await second;
    expect(session.result?.report.run.id).toBe(runs[1].start.runId);
  });

  it('runs the bundled sample as a file named sample.log', async () => {
    const { session, runs, started } = await setup();
    // A jsdom Blob: jsdom's File cannot read the Node Blob a real Response would give.
    const fetch = vi.fn(async () => ({ ok: true, status: 200, blob: async () => new Blob(['2024-03-14 INFO hello\n']) }));
    vi.stubGlobal('fetch', fetch);
    const done = session.trySample();
    await started(0);
    expect(fetch).toHaveBeenCalledWith('/sample.log');
    expect(runs[0].file.name).toBe('sample.log');
    expect(await runs[0].file.text()).toBe('2024-03-14 INFO hello\n');
    runs[0].finish();
    await done;
  });

  it('says so when the sample cannot be fetched', async () => {
    const { session, runs } = await setup();
    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 404 })));
    await session.trySample();
    expect(runs).toHaveLength(0);
    expect(session.notice).toMatch(/sample log could not be loaded: HTTP 404/);
  });

  it('exports the report as pretty JSON named after the run id', async () => {
    const { session, runs, started } = await setup();
    const done = session.open(new File(['x\n'], 'app.log'));
    await started(0);
    runs[0].finish();
    await done;

    session.exportReport();
    const [saved] = downloads;
    const id = runs[0].start.runId;
    expect(saved.name).toBe(`linesight-report-${id}.json`);
    const text = await saved.blob.text();
    expect(text).toBe(JSON.stringify(session.result?.report, null, 2));
  });

  it('saves the disk-backed output file itself, under the run id', async () => {
    const { session, runs, engine, started } = await setup();
    const done = session.open(new File(['x\n'], 'app.log'));
    await started(0);
    runs[0].finish();
    await done;
    const output = new File(['out\n'], 'latest-output.log');
    engine.latestOutputFile.mockResolvedValueOnce(output);

    await session.saveOutput();
    expect(downloads).toEqual([{ name: `linesight-output-${runs[0].start.runId}.log`, blob: output }]);
  });

  it('runs without tracing by default: trace null, the default cap', async () => {
    const { session, runs, started } = await setup();
    const done = session.open(new File(['x\n'], 'app.log'));
    await started(0);
    expect(runs[0].start).toMatchObject({ trace: null, traceCap: 1000 });
    runs[0].finish();
    await done;
  });

  it('passes the chosen trace policy and cap in StartRun, with numbers made whole and in range', async () => {
    const { session, runs, started } = await setup();
    session.traceEnabled = true;
    session.traceMode = 'sample';
    session.traceSampleN = 25;
    session.traceCap = 50_000;
    void session.open(new File(['x\n'], 'a.log'));
    await started(0);
    expect(runs[0].start).toMatchObject({ trace: { mode: 'sample', n: 25 }, traceCap: 10_000 });

    session.traceMode = 'first';
    session.traceFirstN = 10.7;
    session.traceCap = 0;
    void session.open(new File(['x\n'], 'b.log'));
    await started(1);
    expect(runs[1].start).toMatchObject({ trace: { mode: 'first', n: 10 }, traceCap: 1 });

    session.traceMode = 'all';
    // A cleared number field binds null: the default applies, not 0.
    session.traceCap = null as unknown as number;
    void session.open(new File(['x\n'], 'c.log'));
    await started(2);
    expect(runs[2].start).toMatchObject({ trace: { mode: 'all' }, traceCap: 1000 });
    runs[2].finish();
  });

  it('fetches live traces, errors and events only for a view that shows them, at most once a second and only when counts changed', async () => {
    vi.useFakeTimers();
    try {
      const { session, runs, engine, live } = await setup();
      const done = session.open(new File(['x\n'], 'app.log'));
      await vi.advanceTimersByTimeAsync(0);
      const runId = runs[0].start.runId;
      live.observations = {
        traces: { enabled: false, policy: null, seen: 0, kept: 0, items: [] },
        errors: { total: 1, byProcessor: { f: 1 }, byType: { Error: 1 }, items: [] },
        events: { seen: 1, kept: 1, items: [] },
      };
      runs[0].push(snapshot({ runId, observed: { traces: 0, errors: 1, events: 1 } }));

      await vi.advanceTimersByTimeAsync(3000);
      expect(engine.observations).not.toHaveBeenCalled(); // the Stats tab needs none

      session.show('errors');
      await vi.advanceTimersByTimeAsync(0);
      expect(engine.observations).toHaveBeenCalledOnce(); // at once on switching
      expect(session.observations).toBe(live.observations);

      await vi.advanceTimersByTimeAsync(3000);
      expect(engine.observations).toHaveBeenCalledOnce(); // nothing new was counted

      runs[0].push(snapshot({ runId, observed: { traces: 0, errors: 2, events: 3 } }));
      await vi.advanceTimersByTimeAsync(1000);
      expect(engine.observations).toHaveBeenCalledTimes(2);

      const final = {
        traces: { enabled: false, policy: null, seen: 0, kept: 0, items: [] },
        errors: { total: 2, byProcessor: { f: 2 }, byType: { Error: 2 }, items: [] },
        events: { seen: 4, kept: 4, items: [] },
      };
      runs[0].finish('completed', null, final);
      await done;
      expect(session.observations).toEqual(final); // the report is the final word

      await vi.advanceTimersByTimeAsync(5000);
      expect(engine.observations).toHaveBeenCalledTimes(2); // no polling after the run
    } finally {
      vi.useRealTimers();
    }
  });

  it('clears the previous run’s details when a new file is opened', async () => {
    const { session, runs, started } = await setup();
    const first = session.open(new File(['x\n'], 'a.log'));
    await started(0);
    runs[0].finish('completed', null, {
      traces: { enabled: true, policy: { mode: 'all' }, seen: 0, kept: 0, items: [] },
      errors: { total: 0, byProcessor: {}, byType: {}, items: [] },
      events: { seen: 0, kept: 0, items: [] },
    });
    await first;
    expect(session.observations).not.toBeNull();
    void session.open(new File(['x\n'], 'b.log'));
    await started(1);
    expect(session.observations).toBeNull();
    runs[1].finish();
  });

  it('exports the kept events as NDJSON named after the run id', async () => {
    const { session, runs, started } = await setup();
    const done = session.open(new File(['x\n'], 'app.log'));
    await started(0);
    const items = [
      { ts: '2026-01-01T12:00:00.000Z', level: 'info' as const, component: 'run', event: 'run_started', file: 'app.log' },
      { ts: '2026-01-01T12:00:01.000Z', level: 'info' as const, component: 'run', event: 'run_completed', lines: 1 },
    ];
    runs[0].finish('completed', null, {
      traces: { enabled: false, policy: null, seen: 0, kept: 0, items: [] },
      errors: { total: 0, byProcessor: {}, byType: {}, items: [] },
      events: { seen: 2, kept: 2, items },
    });
    await done;

    session.exportEvents();
    const [saved] = downloads;
    expect(saved.name).toBe(`linesight-events-${runs[0].start.runId}.ndjson`);
    const lines = (await saved.blob.text()).trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(items);
  });

  it('switches views through show()', async () => {
    const { session } = await setup();
    expect(session.view).toBe('stats');
    session.show('processors');
    expect(session.view).toBe('processors');
  });
});

describe('makeRunId', () => {
  it('is sortable by time and URL-safe', () => {
    const id = makeRunId(new Date('2026-11-22T22:41:00Z'));
    expect(id).toMatch(/^20261122-224100-[0-9a-z]{4}$/);
  });
});
