import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { presetText } from '../../src/ui/presets.ts';
import { makeRunId, Session, type Engine } from '../../src/ui/session.svelte.ts';
import type { PipelineConfig, Report, RunResult, RunSnapshot, StartRun } from '../../src/worker/client.ts';
import { snapshot } from './fixtures.ts';

interface LiveRun {
  file: File;
  start: StartRun;
  push: (s: RunSnapshot) => void;
  finish: (status?: 'completed' | 'cancelled', output?: RunResult['output']) => void;
}

/** An engine whose runs finish when the test says so; configs with "bad" in them are refused. */
function fakeEngine() {
  const runs: LiveRun[] = [];
  const engine = {
    describeProcessors: vi.fn(async () => [{ type: 'filter', title: 'Filter', description: 'Keeps lines.', kind: 'map', params: [] }]),
    validatePipeline: vi.fn(async (text: string) =>
      text.includes('bad')
        ? { ok: false as const, error: [{ path: 'processors[0].pattern', message: 'invalid regular expression: Unterminated group' }] }
        : { ok: true as const, value: { processors: [{ type: 'filter', id: 'f', params: {} }] } as PipelineConfig },
    ),
    run: vi.fn(
      (file: File, start: StartRun, _config: PipelineConfig, onSnapshot: (s: RunSnapshot) => void) =>
        new Promise<RunResult>((resolve) => {
          runs.push({
            file,
            start,
            push: onSnapshot,
            finish: (status = 'completed', output = { lines: 10, bytes: 100 }) =>
              resolve({ report: { run: { id: start.runId, status } } as Report, output }),
          });
        }),
    ),
    cancel: vi.fn(() => runs.at(-1)?.finish('cancelled')),
    latestOutputFile: vi.fn(async (): Promise<File | null> => new File(['out\n'], 'latest-output.log')),
  };
  return { engine, runs };
}

async function started() {
  const fake = fakeEngine();
  const session = new Session(fake.engine as unknown as Engine);
  await session.ready;
  return { ...fake, session };
}

/** Lets the session's awaits settle. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Session', () => {
  let downloads: { name: string; blob: Blob }[];

  beforeEach(() => {
    downloads = [];
    const blobs = new Map<string, Blob>();
    URL.createObjectURL = vi.fn((blob: Blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob);
      return url;
    });
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push({ name: this.download, blob: blobs.get(this.href) as Blob });
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('starts with the processor list and the Default preset applied', async () => {
    const { session } = await started();
    expect(session.processors.map((p) => p.type)).toEqual(['filter']);
    expect(session.applied?.name).toBe('Default');
    expect(session.pipelineText).toBe(presetText('Default'));
  });

  it('keeps the previous pipeline when a config is refused, and lists the issues', async () => {
    const { session } = await started();
    const before = session.applied;
    expect(await session.applyPipeline('{"bad": true}')).toBe(false);
    expect(session.applied).toBe(before);
    expect(session.pipelineText).toBe('{"bad": true}');
    expect(session.issues).toEqual([{ path: 'processors[0].pattern', message: 'invalid regular expression: Unterminated group' }]);

    expect(await session.applyPipeline('{"processors":[{"type":"uppercase"}]}')).toBe(true);
    expect(session.issues).toEqual([]);
    expect(session.applied?.name).toBe('Edited config');
  });

  it('puts an imported pipeline in the editor and applies it under the file name', async () => {
    const { session } = await started();
    const text = presetText('Seed example')!;
    await session.importPipeline(new File([text], 'seed.json'));
    expect(session.pipelineText).toBe(text);
    expect(session.applied).toMatchObject({ name: 'seed.json', text });
  });

  it('runs a file with the applied pipeline, shows its snapshots and keeps the result', async () => {
    const { session, runs } = await started();
    const file = new File(['x\n'], 'app.log');
    const done = session.open(file);
    await settle();

    expect(session.busy).toBe(true);
    const [run] = runs;
    expect(run.file).toBe(file);
    expect(run.start).toMatchObject({ pipeline: session.applied?.text, keepOutput: true });
    expect(run.start.runId).toMatch(/^[\w-]+$/);
    expect(session.snapshot?.processors.map((p) => p.id)).toEqual(['f']); // listed before the first update

    const update = snapshot({ runId: run.start.runId, linesRead: 42 });
    run.push(update);
    expect(session.snapshot).toBe(update);

    run.finish();
    await done;
    expect(session.busy).toBe(false);
    expect(session.result?.report.run.id).toBe(run.start.runId);
  });

  it('cancels the live run before running a newly opened file, ignoring late updates of the old one', async () => {
    const { session, runs, engine } = await started();
    void session.open(new File(['a\n'], 'first.log'));
    await settle();
    const second = session.open(new File(['b\n'], 'second.log'));
    await settle();

    expect(engine.cancel).toHaveBeenCalledOnce();
    expect(runs.map((r) => r.file.name)).toEqual(['first.log', 'second.log']);
    runs[0].push(snapshot({ runId: runs[0].start.runId }));
    expect(session.snapshot?.file.name).toBe('second.log');

    runs[1].finish();
    await second;
    expect(session.result?.report.run.id).toBe(runs[1].start.runId);
  });

  it('runs the bundled sample as a file named sample.log', async () => {
    const { session, runs } = await started();
    // A jsdom Blob: jsdom's File cannot read the Node Blob a real Response would give.
    const fetch = vi.fn(async () => ({ ok: true, status: 200, blob: async () => new Blob(['2024-03-14 INFO hello\n']) }));
    vi.stubGlobal('fetch', fetch);
    const done = session.trySample();
    await settle();
    expect(fetch).toHaveBeenCalledWith('/sample.log');
    expect(runs[0].file.name).toBe('sample.log');
    expect(await runs[0].file.text()).toBe('2024-03-14 INFO hello\n');
    runs[0].finish();
    await done;
  });

  it('says so when the sample cannot be fetched', async () => {
    const { session, runs } = await started();
    vi.stubGlobal('fetch', vi.fn(async () => new Response('', { status: 404 })));
    await session.trySample();
    expect(runs).toHaveLength(0);
    expect(session.notice).toMatch(/sample log could not be loaded: HTTP 404/);
  });

  it('exports the report as pretty JSON named after the run id', async () => {
    const { session, runs } = await started();
    const done = session.open(new File(['x\n'], 'app.log'));
    await settle();
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
    const { session, runs, engine } = await started();
    const done = session.open(new File(['x\n'], 'app.log'));
    await settle();
    runs[0].finish();
    await done;
    const output = new File(['out\n'], 'latest-output.log');
    engine.latestOutputFile.mockResolvedValueOnce(output);

    await session.saveOutput();
    expect(downloads).toEqual([{ name: `linesight-output-${runs[0].start.runId}.log`, blob: output }]);
  });
});

describe('makeRunId', () => {
  it('is sortable by time and URL-safe', () => {
    const id = makeRunId(new Date('2026-11-22T22:41:00Z'));
    expect(id).toMatch(/^20261122-224100-[0-9a-z]{4}$/);
  });
});
