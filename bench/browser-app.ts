/**
 * The built app in Debian's Chromium, for the benches that measure it in a real browser: a
 * production build in a temporary directory, served by `vite preview` on a free port of
 * 127.0.0.1, and a browser that never downloads anything of its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build, preview } from 'vite';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface BuiltApp {
  /** Where the app is served, with a trailing slash. */
  url: string;
  browser: Browser;
  /** A scratch directory, removed by close(). */
  dir: string;
  close(): Promise<void>;
}

export async function launchBuiltApp(): Promise<BuiltApp> {
  const root = resolve(import.meta.dirname, '..');
  const dir = await mkdtemp(join(tmpdir(), 'linesight-bench-'));
  const shared = { root, configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn' as const, build: { outDir: join(dir, 'dist'), emptyOutDir: true } };
  process.env.NODE_ENV = 'production';
  await build(shared);
  const server = await preview({ ...shared, preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false } });
  const { port } = server.httpServer.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  return {
    url: `http://127.0.0.1:${port}/`,
    browser,
    dir,
    async close() {
      await browser.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The middle value (the upper one of an even count). */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}
