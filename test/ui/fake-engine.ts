import { vi } from 'vitest';
import type { Engine } from '../../src/ui/session.svelte.ts';
import type { AlertUserAction, AlertView, Observations, PipelineConfig, Report, RunResult, RunSnapshot, StartRun, StorageStatus } from '../../src/worker/client.ts';

export interface LiveRun {
  file: File;
  start: StartRun;
  push: (s: RunSnapshot) => void;
  /** What the worker says about keeping the run in the history. */
  storage: (status: StorageStatus) => void;
  finish: (status?: 'completed' | 'cancelled', output?: RunResult['output'], report?: Partial<Report>) => void;
}

/** An engine whose runs finish when the test says so; configs with "bad" in them are refused. */
export function fakeEngine() {
  const runs: LiveRun[] = [];
  /** What observations() answers; tests set it. */
  const live: { observations: Observations | null; alerts: AlertView[] | null } = { observations: null, alerts: null };
  const engine = {
    describeProcessors: vi.fn(async () => [{ type: 'filter', title: 'Filter', description: 'Keeps lines.', kind: 'map', params: [] }]),
    validatePipeline: vi.fn(async (text: string) =>
      text.includes('bad')
        ? { ok: false as const, error: [{ path: 'processors[0].pattern', message: 'invalid regular expression: Unterminated group' }] }
        : { ok: true as const, value: { processors: [{ type: 'filter', id: 'f', params: {} }] } as PipelineConfig },
    ),
    run: vi.fn(
      (file: File, start: StartRun, _config: PipelineConfig, onSnapshot: (s: RunSnapshot) => void, onStorage?: (s: StorageStatus) => void) =>
        new Promise<RunResult>((resolve) => {
          runs.push({
            file,
            start,
            push: onSnapshot,
            storage: (status) => onStorage?.(status),
            finish: (status = 'completed', output = { lines: 10, bytes: 100 }, report = {}) =>
              resolve({ report: { run: { id: start.runId, status }, ...report } as Report, output, storage: null }),
          });
        }),
    ),
    cancel: vi.fn(() => runs.at(-1)?.finish('cancelled')),
    latestOutputFile: vi.fn(async (): Promise<File | null> => new File(['out\n'], 'latest-output.log')),
    observations: vi.fn(async () => live.observations),
    /** Answers with `live.alerts` (null: the engine refuses, as for an alert it no longer holds). */
    alertAction: vi.fn(async (_id: string, _action: AlertUserAction, _untilMs?: number | null): Promise<AlertView[] | null> => live.alerts),
  };
  return { engine: engine as typeof engine & Engine, runs, live };
}
