/**
 * Issue 7: nothing leaves the machine. Every request of a whole session — the page, its engine
 * worker, its service worker — is intercepted and must stay on the app's origin (or be a data:
 * or blob: URL); the Content Security Policy allows no other origin, in the page and in both
 * workers; and the start page says so.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { BrowserContext, Page, Worker } from 'playwright-core';
import { openApp, reloadApp, type AppSession } from './browser.ts';
import {
  clickForDownload,
  downloadText,
  RUN_TABS,
  serviceWorkerReady,
  showSection,
  showTab,
  tempDir,
  waitForRunEnd,
} from './helpers.ts';

type ProbedScope = typeof globalThis & { violations?: string[] };

/** Fetches `url` from the scope it runs in (page or worker), noting the CSP violations reported there; how the fetch ended. */
function probe(url: string): Promise<'fetched' | 'refused'> {
  const scope = self as ProbedScope;
  scope.violations = [];
  self.addEventListener('securitypolicyviolation', (event) => scope.violations?.push(event.violatedDirective));
  return fetch(url).then(
    () => 'fetched' as const,
    () => 'refused' as const,
  );
}

let tmp: Awaited<ReturnType<typeof tempDir>>;
let app: AppSession | undefined;

beforeAll(async () => {
  tmp = await tempDir('privacy');
});

afterAll(async () => {
  await tmp?.remove();
});

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Same origin as the app, or a URL that names no host at all. */
function staysHome(url: string, origin: string): boolean {
  return url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin;
}

interface Recorder {
  /** Every request the context saw, as "<from> <url>": "page" (its engine worker included) or "service-worker". */
  seen: string[];
  /** Requests to another origin: aborted before they went out, and a failure of the test. */
  escaped: string[];
}

/**
 * Listens to every request of the context twice: as events (which include those the service
 * worker answers from its cache) and through a route (which stops a request to another origin
 * before it leaves, should the app ever make one).
 */
async function record(context: BrowserContext, origin: string): Promise<Recorder> {
  const recorder: Recorder = { seen: [], escaped: [] };
  context.on('request', (request) => {
    const from = request.serviceWorker() ? 'service-worker' : 'page';
    recorder.seen.push(`${from} ${request.url()}`);
    if (!staysHome(request.url(), origin)) recorder.escaped.push(`${from} ${request.url()}`);
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (staysHome(url, origin)) return route.continue();
    recorder.escaped.push(`route ${url}`);
    return route.abort('blockedbyclient');
  });
  return recorder;
}

/** Fetches a URL from inside a worker; a request the recorder must hear. */
async function fetchFrom(worker: Worker, url: string): Promise<number> {
  return worker.evaluate((u) => fetch(u).then((response) => response.status), url);
}

async function download(page: Page, button: string): Promise<string> {
  return downloadText(await clickForDownload(page, button));
}

describe('nothing leaves the machine', () => {
  test('no request leaves the origin during a whole session, from the page or either worker', async () => {
    app = await openApp({ path: null });
    const { page, context, baseURL } = app;
    const origin = new URL(baseURL).origin;
    const recorder = await record(context, origin);

    await app.goto('/');
    await page.getByText('Your logs never leave this machine').waitFor();
    await serviceWorkerReady(page);
    // The returning visit: served by the service worker.
    await reloadApp(page);

    await page.getByRole('checkbox', { name: 'Trace lines' }).check();
    await page.getByLabel('Trace policy').selectOption('all');
    await page.getByRole('button', { name: 'Try a sample log' }).click();
    expect(await waitForRunEnd(page, 'sample.log')).toBe('Completed');
    for (const tab of RUN_TABS) await showTab(page, tab);

    const report = await download(page, 'Export report');
    expect(JSON.parse(report).schema).toBe('linesight.report/v1');
    expect(await download(page, 'Export metrics (Prometheus)')).toMatch(/^# (HELP|TYPE) linesight_/m);
    expect(JSON.parse(await download(page, 'Export traces (OTLP JSON)')).resourceSpans).toHaveLength(1);
    const snapshot = await download(page, 'Export HTML snapshot');
    expect(snapshot).toMatch(/^<!doctype html>/i);
    await showTab(page, 'Events');
    const events = (await download(page, 'Export events (NDJSON)')).trim().split('\n');
    expect(JSON.parse(events[0]).event).toBe('run_started');

    const reportPath = join(tmp.dir, 'report.json');
    await writeFile(reportPath, report);
    await page.getByLabel('Import report').setInputFiles(reportPath);
    await page.getByText('Imported report · read-only').waitFor();
    for (const tab of RUN_TABS) await showTab(page, tab);
    await page.getByRole('button', { name: 'Back to live view' }).click();
    await showSection(page, 'History');
    await showSection(page, 'Settings');
    await showSection(page, 'Analyze');

    // The recorder hears both workers: a request from each of them is among what it saw.
    const [engine] = page.workers();
    const [serviceWorker] = context.serviceWorkers();
    expect(await fetchFrom(engine, '/manifest.webmanifest?from=engine')).toBe(200);
    expect(await fetchFrom(serviceWorker, '/manifest.webmanifest?from=service-worker')).toBe(200);
    expect(recorder.seen).toContain(`page ${origin}/manifest.webmanifest?from=engine`);
    expect(recorder.seen).toContain(`service-worker ${origin}/manifest.webmanifest?from=service-worker`);
    expect(recorder.seen.filter((entry) => entry.startsWith('service-worker ')).length, 'the service worker precached the app').toBeGreaterThan(5);

    expect(recorder.escaped).toEqual([]);
    expect(recorder.seen.filter((entry) => !staysHome(entry.split(' ')[1], origin))).toEqual([]);

    // The HTML snapshot, opened anywhere, asks nothing of any host: not even of this one.
    const opened = await context.newPage();
    const fromSnapshot: string[] = [];
    opened.on('request', (request) => fromSnapshot.push(request.url()));
    await opened.setContent(snapshot, { waitUntil: 'load' });
    expect(await opened.getByRole('table', { name: 'Processor stats' }).count()).toBe(1);
    expect(fromSnapshot.filter((url) => !url.startsWith('data:'))).toEqual([]);
    expect(app.pageErrors).toEqual([]);
  });

  test('the Content Security Policy allows no other origin, in the page and in both workers', async () => {
    app = await openApp();
    const { page, context, baseURL } = app;
    const origin = new URL(baseURL).origin;

    const index = await context.request.get(baseURL);
    const html = await index.text();
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta, 'the built index.html carries a CSP meta').toBeTruthy();
    const policy = new Map(
      meta!
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .filter((parts) => parts[0])
        .map(([name, ...sources]) => [name, sources]),
    );
    // No host, scheme or wildcard: only the app's own origin, and data:/blob: for images and workers.
    const allowed = new Set(["'self'", "'none'", "'unsafe-inline'", 'data:', 'blob:']);
    for (const [name, sources] of policy) for (const source of sources) expect(allowed, `${name} ${source}`).toContain(source);
    expect(policy.get('default-src')).toEqual(["'self'"]);
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('object-src')).toEqual(["'none'"]);

    // A meta binds the page only; the workers follow the header of their own scripts.
    await serviceWorkerReady(page);
    await page.getByRole('button', { name: 'Try a sample log' }).click();
    expect(await waitForRunEnd(page, 'sample.log')).toBe('Completed');
    const [engine] = page.workers();
    const [serviceWorker] = context.serviceWorkers();
    for (const url of [baseURL, engine.url(), serviceWorker.url()]) {
      const response = await context.request.get(url);
      expect(response.headers()['content-security-policy'], url).toBe(meta);
    }

    // And it holds: a connection to another origin is refused in each of them before it is made.
    const elsewhere = `http://localhost:${new URL(baseURL).port}/probe`;
    expect(new URL(elsewhere).origin).not.toBe(origin);
    const attempts: string[] = [];
    context.on('request', (request) => attempts.push(request.url()));
    const scopes: [string, Pick<Worker, 'evaluate'>][] = [['page', page], ['engine worker', engine], ['service worker', serviceWorker]];
    for (const [where, scope] of scopes) {
      expect(await scope.evaluate(probe, elsewhere), where).toBe('refused');
      // The violation is reported by an event of its own, queued after the refusal or before it
      // (the page, bound by the meta and the header alike, hears one per policy).
      const violations = () => scope.evaluate(() => (self as ProbedScope).violations ?? []);
      await expect.poll(violations, { message: where }).toContain('connect-src');
      expect(new Set(await violations()), where).toEqual(new Set(['connect-src']));
    }
    expect(attempts.filter((url) => url.startsWith(elsewhere))).toEqual([]);
  });
});
