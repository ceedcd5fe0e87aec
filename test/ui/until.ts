import { vi } from 'vitest';

/**
 * Waits until `check` passes (returns, or resolves, without throwing) and gives what it returned:
 * how the UI tests wait for the app's awaits, never for a stretch of time. The budget is for a
 * machine loaded by other work (vi.waitFor's own second is not); a condition already met returns
 * at once.
 */
export function until<T>(check: () => T | Promise<T>): Promise<T> {
  return vi.waitFor(check, { timeout: 15_000 });
}
