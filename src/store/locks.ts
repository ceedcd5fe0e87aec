/**
 * Which runs are live. A live run's worker holds the Web Lock `linesight-run-<id>` for as long as
 * it runs; the browser releases it when the tab (or worker) goes away, crash included. So on the
 * next load, a `running` run whose lock is free was interrupted.
 *
 * Web Locks exist in windows and workers of every current browser (Safari 15.4+). Without them
 * (old browsers, Node) nothing counts as live: a run of another tab may then be marked
 * interrupted, and its next checkpoint marks it running again.
 */

type Locks = Pick<LockManager, 'request'>;

function defaultLocks(): Locks | undefined {
  return (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
}

export function runLockName(runId: string): string {
  return `linesight-run-${runId}`;
}

/** Whether this browser tells which runs are live (it has Web Locks). */
export function hasRunLocks(locks: Locks | undefined = defaultLocks()): boolean {
  return locks !== undefined;
}

/** Whether some tab or worker (this one included) holds the run's lock. */
export async function isRunLive(runId: string, locks: Locks | undefined = defaultLocks()): Promise<boolean> {
  if (!locks) return false;
  try {
    // ifAvailable: granted null at once when held elsewhere; when free it is taken and released right away.
    return await locks.request(runLockName(runId), { ifAvailable: true }, (lock) => lock === null);
  } catch {
    return false;
  }
}

/**
 * Takes the run's lock (waiting for it if needed) and holds it until the returned function is
 * called. The worker calls this before `createRun` and releases after `finishRun`.
 */
export async function holdRunLock(runId: string, locks: Locks | undefined = defaultLocks()): Promise<() => void> {
  if (!locks) return () => {};
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  try {
    await new Promise<void>((granted, refused) => {
      locks.request(runLockName(runId), () => {
        granted();
        return held;
      }).catch(refused);
    });
  } catch {
    // Locks refused (e.g. an opaque origin): run without one, as when Web Locks are missing.
    return () => {};
  }
  return release;
}
