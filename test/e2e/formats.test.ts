/**
 * The log format of a run: detected on a real log (the Loghub HDFS sample), then chosen from the
 * "Log format" list and the same file re-run with it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { openApp, type AppSession } from './browser.ts';
import { expectNoPageErrors, openLog, parseFigure, runRegion, splitLines, statusText, TERMINAL_STATUSES, waitForRunEnd } from './helpers.ts';

const HDFS = '/work/shared/data/loghub/HDFS/HDFS_2k.log';

let app: AppSession | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('the HDFS sample is detected as HDFS; re-run as syslog, its lines are counted as not fitting', async (ctx) => {
  if (!existsSync(HDFS)) {
    ctx.skip(`The Loghub HDFS sample is not at ${HDFS}: nothing to open.`);
    return;
  }
  const lines = splitLines(readFileSync(HDFS, 'utf8')).length;
  expect(lines).toBeGreaterThan(1000);

  app = await openApp();
  const { page } = app;
  const run = runRegion(page);
  // The default pipeline parses first, detecting the format.
  await openLog(page, HDFS);
  expect(await waitForRunEnd(page, 'HDFS_2k.log')).toBe('Completed');
  const detected = run.getByText(/^Format: HDFS.*\(detected, \d+%\)$/);
  await detected.waitFor();
  expect(await run.getByText(/did not fit/).count()).toBe(0);

  await page.getByLabel('Log format').selectOption('syslog');
  await run.getByRole('button', { name: 'Re-run with this format' }).click();
  const chosen = run.getByText(/^Format: Syslog.*\(chosen\)$/);
  await chosen.waitFor({ timeout: 60_000 });
  await expect.poll(() => statusText(page), { timeout: 60_000 }).toMatch(new RegExp(`^(${TERMINAL_STATUSES.join('|')})$`));
  expect(await statusText(page)).toBe('Completed');
  const unfit = await run.getByText(/lines did not fit \(kept as plain text\)$/).textContent();
  const count = parseFigure((unfit ?? '').replace(/ lines did not fit.*$/, ''));
  expect(count).toBeGreaterThan(0);
  expect(count).toBeLessThanOrEqual(lines);
  expectNoPageErrors(app);
});
