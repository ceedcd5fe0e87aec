import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { VitePWA } from 'vite-plugin-pwa';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { loghubAvailable } from './test/engine/processors/loghub.ts';

// index.html's CSP meta binds the page only: the engine worker and the service worker follow
// the header their own script comes with. So `vite preview` sends the same policy as a header.
const CONTENT_SECURITY_POLICY = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(
  readFileSync(new URL('index.html', import.meta.url), 'utf8'),
)![1];

// Engine and UI files run together, one per core and at least two: Vitest's default of one less
// than the cores would run them one at a time on a two-core machine.
const UNIT_FILES = { sequence: { groupOrder: 0 }, maxWorkers: Math.max(2, availableParallelism()) };

export default defineConfig({
  plugins: [
    svelte(),
    VitePWA({
      // An update is offered by the UI, never forced in the middle of a run.
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: '/',
        name: 'Linesight',
        short_name: 'Linesight',
        description: 'Offline log analyzer: your logs never leave the machine.',
        start_url: '/',
        scope: '/',
        theme_color: '#1d2433',
        background_color: '#1d2433',
        display: 'standalone',
        categories: ['developer', 'utilities'],
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'icon.svg', sizes: 'any', type: 'image/svg+xml' },
        ],
        // Double-clicking a log file opens it in the installed app (read with launchQueue).
        file_handlers: [
          {
            action: '/',
            accept: {
              'text/plain': ['.log', '.txt', '.out'],
              'application/gzip': ['.gz'],
              'application/zstd': ['.zst'],
              'application/x-ndjson': ['.jsonl', '.ndjson'],
              // A Linesight report opens read-only; other JSON runs as a log (src/ui/open-file.ts).
              'application/json': ['.json'],
            },
          },
        ],
        launch_handler: { client_mode: 'focus-existing' },
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,log}'],
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022' },
  server: { port: 5173 },
  preview: { headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY } },
  test: {
    // Tests on the Loghub samples (never copied into the project) skip without them, and the
    // reporter says so once at the end of the run (README: "Running the Loghub tests").
    tags: [{ name: 'loghub', description: 'reads the Loghub samples in ../shared/data/loghub', skip: !loghubAvailable }],
    reporters: ['default', './test/loghub-reporter.ts'],
    // A budget for a machine busy with other work (CI boxes and shared ones are): a failing
    // assertion fails at once whatever it is, only a hang waits this long.
    testTimeout: 30_000,
    // A test that asserts nothing cannot fail: it fails.
    expect: { requireAssertions: true },
    projects: [
      {
        extends: true,
        test: {
          name: 'engine',
          environment: 'node',
          include: ['test/engine/**/*.test.ts', 'test/store/**/*.test.ts', 'test/worker/**/*.test.ts'],
          ...UNIT_FILES,
        },
      },
      {
        extends: true,
        plugins: [svelteTesting()],
        test: {
          name: 'ui',
          environment: 'jsdom',
          include: ['test/ui/**/*.test.ts'],
          setupFiles: ['test/ui/setup.ts'],
          ...UNIT_FILES,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // After the unit files, two files at a time, each with its own Chromium, against the one
          // build and server of the global setup: a Chromium waits on its engine worker often
          // enough that two fill two cores better than one.
          sequence: { groupOrder: 1 },
          maxWorkers: 2,
        },
      },
    ],
  },
});
