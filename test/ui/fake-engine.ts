/**
 * The engine as the UI tests drive it: the processor list and the checks of a config come from
 * the worker's own API, in-process (src/worker/api.ts), so the UI shows what the engine says; a
 * run finishes when the test says so, with a report the engine's buildReport makes of the last
 * snapshot. Every method is typed by the real client (`satisfies Engine`): a change of
 * EngineClient's API breaks the build here instead of passing unnoticed.
 */
import { vi } from 'vitest';
import type { Engine } from '../../src/ui/session.svelte.ts';
import { buildReport, metricsReportFromSnapshot } from '../../src/engine/report/report.ts';
import { api } from '../../src/worker/api.ts';
import {
  initialSnapshot,
  type AlertView,
  type Observations,
  type Report,
  type RunResult,
  type RunSnapshot,
  type StartRun,
  type StorageStatus,
} from '../../src/worker/client.ts';

export interface LiveRun {
  file: File;
  start: StartRun;
  push: (s: RunSnapshot) => void;
  /** What the worker says about keeping the run in the history. */
  storage: (status: StorageStatus) => void;
  finish: (status?: 'completed' | 'cancelled', output?: RunResult['output'], report?: Partial<Report>) => void;
}

const NO_OBSERVATIONS: Observations = {
  traces: { enabled: false, policy: null, seen: 0, kept: 0, items: [] },
  errors: { total: 0, byProcessor: {}, byType: {}, items: [] },
  events: { seen: 0, kept: 0, items: [] },
};

export function fakeEngine() {
  const runs: LiveRun[] = [];
  const waiting: { index: number; resolve: (run: LiveRun) => void }[] = [];
  /** What observations() and alertAction() answer; tests set them (null alerts: the engine refuses, as for an alert it no longer holds). */
  const live: { observations: Observations | null; alerts: AlertView[] | null } = { observations: null, alerts: null };

  const engine = {
    describeProcessors: vi.fn<Engine['describeProcessors']>(async () => api.describeProcessors()),
    validatePipeline: vi.fn<Engine['validatePipeline']>((text) => {
      // Comlink types the worker's Result as one promise per case: answered per case here too.
      const result = api.validatePipeline(text);
      return result.ok ? Promise.resolve(result) : Promise.resolve(result);
    }),
    run: vi.fn<Engine['run']>(
      (file, start, config, onSnapshot, onStorage) =>
        new Promise<RunResult>((resolve) => {
          let last = initialSnapshot(start.runId, file, config.processors);
          const run: LiveRun = {
            file,
            start,
            push: (snapshot) => onSnapshot((last = snapshot)),
            storage: (status) => onStorage?.(status),
            finish: (status = 'completed', output = { lines: 10, bytes: 100 }, report = {}) => {
              const final: RunSnapshot = { ...last, status, etaMs: null };
              const built = buildReport(final, config, live.observations ?? NO_OBSERVATIONS, metricsReportFromSnapshot(final), new Date());
              resolve({ report: { ...built, ...report }, output, storage: null });
            },
          };
          runs.push(run);
          for (const waiter of waiting.filter((w) => w.index === runs.length - 1)) waiter.resolve(run);
        }),
    ),
    cancel: vi.fn<Engine['cancel']>(() => runs.at(-1)?.finish('cancelled')),
    latestOutputFile: vi.fn<Engine['latestOutputFile']>(async () => new File(['out\n'], 'latest-output.log')),
    observations: vi.fn<Engine['observations']>(async () => live.observations),
    alertAction: vi.fn<Engine['alertAction']>(async () => live.alerts),
  } satisfies Engine;

  /** The `index`-th run (from 0), once the session has handed it to the engine. */
  function started(index: number): Promise<LiveRun> {
    const run = runs[index];
    return run ? Promise.resolve(run) : new Promise((resolve) => waiting.push({ index, resolve }));
  }

  return { engine, runs, live, started };
}
