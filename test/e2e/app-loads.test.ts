import { afterEach, expect, test } from 'vitest';
import { openApp, type AppSession } from './browser.ts';

let app: AppSession | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('the built app opens with its title and without errors in the page', async () => {
  app = await openApp();
  expect(await app.page.title()).toContain('Linesight');
  expect(app.pageErrors).toEqual([]);
});
