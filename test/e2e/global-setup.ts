/**
 * Builds the app once per e2e run and serves dist/ for every test file: tests drive what users
 * get (the production build, service worker included), not the dev server.
 */
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the built app is served, e.g. "http://127.0.0.1:41234/" (trailing slash). */
    baseURL: string;
  }
}

let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  const root = project.config.root;
  const shared = {
    root,
    configFile: resolve(root, 'vite.config.ts'),
    mode: 'production',
    logLevel: 'warn' as const,
    // Parallel e2e runs in one checkout each set their own (LINESIGHT_E2E_OUTDIR=dist-a ...).
    build: { outDir: process.env.LINESIGHT_E2E_OUTDIR ?? 'dist' },
  };

  // Vitest sets NODE_ENV=test, which would make Vite (and Svelte) produce a development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...shared, build: { ...shared.build, emptyOutDir: true } });
  } finally {
    // Assigning undefined would store the string "undefined".
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }

  // Port 0: a free port, so parallel checkouts and a running `npm run preview` never collide.
  server = await preview({ ...shared, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const { port } = server.httpServer.address() as AddressInfo;
  project.provide('baseURL', `http://127.0.0.1:${port}/`);
}

export async function teardown(): Promise<void> {
  await server?.close();
  server = undefined;
}
