/**
 * Files opened with the installed app from the operating system (issue 7): Chromium hands them to
 * the page through `window.launchQueue`. A test cannot double-click a file, so the queue is stood
 * in for before the app loads; it hands over real FileSystemFileHandles (from the Origin Private
 * File System), as the OS launch does, and the app's own consumer takes it from there.
 */
import { afterEach, expect, test } from 'vitest';
import { openApp, type AppSession } from './browser.ts';
import { clickForDownload, downloadText, expectNoPageErrors, progressFigure, waitForRunEnd } from './helpers.ts';

let app: AppSession | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a log and a report opened from the OS: the log runs, the report opens read-only, both kept in Recent files', async () => {
  app = await openApp({ path: null });
  const { page, context } = app;
  await context.addInitScript(() => {
    const stand = { setConsumer: (consumer: unknown) => Object.assign(window, { launchConsumer: consumer }) };
    Object.defineProperty(window, 'launchQueue', { value: stand, configurable: true });
  });
  await app.goto('/');
  await page.getByRole('button', { name: 'Try a sample log' }).waitFor();

  /** Writes a file in the page's private file system and launches the app with it. */
  const launch = (name: string, text: string) =>
    page.evaluate(
      async ([name, text]) => {
        const handle = await (await navigator.storage.getDirectory()).getFileHandle(name, { create: true });
        const writable = await handle.createWritable();
        await writable.write(text);
        await writable.close();
        const consumer = (window as unknown as { launchConsumer?: (params: { files: FileSystemFileHandle[] }) => void }).launchConsumer;
        if (!consumer) throw new Error('the app set no launchQueue consumer');
        consumer({ files: [handle] });
      },
      [name, text],
    );

  const lines = Array.from({ length: 42 }, (_, i) => `2024-05-01 10:00:${String(i % 60).padStart(2, '0')},000 ${i % 7 ? 'INFO' : 'ERROR'} [main] a.B: line ${i}`);
  await launch('from-os.log', lines.join('\n') + '\n');
  expect(await waitForRunEnd(page, 'from-os.log')).toBe('Completed');
  expect(await progressFigure(page, 'Lines').textContent()).toBe('42');

  const report = await downloadText(await clickForDownload(page, 'Export report'));
  await launch('shared-report.json', report);
  await page.getByText('Imported report · read-only').waitFor();

  const recent = page.getByRole('region', { name: 'Recent files' });
  for (const name of ['shared-report.json', 'from-os.log']) await recent.getByRole('button', { name, exact: true }).waitFor();
  expectNoPageErrors(app);
});
