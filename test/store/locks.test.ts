import { describe, expect, it } from 'vitest';
import { holdRunLock, isRunLive, runLockName } from '../../src/store/locks.ts';

/** Just enough of the Web Locks API: exclusive locks, `ifAvailable`, release when the callback's promise settles. */
function fakeLocks() {
  const held = new Set<string>();
  const waiting = new Map<string, (() => void)[]>();
  const release = (name: string) => {
    held.delete(name);
    waiting.get(name)?.shift()?.();
  };
  return {
    held,
    async request(name: string, ...rest: unknown[]): Promise<unknown> {
      const callback = rest.at(-1) as (lock: { name: string } | null) => unknown;
      const options = (rest.length > 1 ? rest[0] : {}) as { ifAvailable?: boolean };
      if (held.has(name)) {
        if (options.ifAvailable) return callback(null);
        await new Promise<void>((resolve) => waiting.set(name, [...(waiting.get(name) ?? []), resolve]));
      }
      held.add(name);
      try {
        return await callback({ name });
      } finally {
        release(name);
      }
    },
  } as unknown as LockManager & { held: Set<string> };
}

describe('run locks', () => {
  it('a run is live while its lock is held, and not once released', async () => {
    const locks = fakeLocks();
    expect(await isRunLive('r1', locks)).toBe(false);
    const release = await holdRunLock('r1', locks);
    expect(locks.held.has(runLockName('r1'))).toBe(true);
    expect(await isRunLive('r1', locks)).toBe(true);
    expect(await isRunLive('r2', locks)).toBe(false);
    release();
    await Promise.resolve();
    expect(await isRunLive('r1', locks)).toBe(false);
  });

  it('without Web Locks nothing is live and holding is a no-op', async () => {
    expect(runLockName('abc')).toBe('linesight-run-abc');
    expect(await isRunLive('r1', undefined)).toBe(false);
    const release = await holdRunLock('r1', undefined);
    expect(() => release()).not.toThrow();
  });
});
