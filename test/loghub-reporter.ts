/**
 * Without the Loghub samples, the tests that read them skip (their `loghub` tag, vite.config.ts);
 * this says so in one line at the end of the run: how many, where the samples go, and where the
 * README tells how to get them.
 */
import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { LOGHUB_DIR, loghubAvailable } from './engine/processors/loghub.ts';

export default class LoghubReporter implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    if (loghubAvailable) return;
    let skipped = 0;
    for (const module of modules) for (const test of module.children.allTests('skipped')) if (test.tags.includes('loghub')) skipped++;
    if (skipped === 0) return;
    this.vitest?.logger.log(`Loghub samples not found at ${LOGHUB_DIR}: ${skipped} tests skipped; see README "Running the Loghub tests".`);
  }
}
