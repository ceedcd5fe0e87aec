import { mount } from 'svelte';
import { registerSW } from 'virtual:pwa-register';
import { EngineClient } from './worker/client.ts';
import App from './ui/App.svelte';
import { Library } from './ui/library.svelte.ts';
import { Session } from './ui/session.svelte.ts';
import './ui/app.css';

// The history, settings and saved pipelines are read on this thread (src/store); runs are written by the worker.
const session = new Session(new EngineClient(), new Library());

// The service worker makes the app work offline. A new version waits for the user's click
// (the banner is disabled during a run) rather than reloading the tab under a live analysis.
const updateSW = registerSW({
  immediate: true,
  onNeedRefresh() {
    session.update = () => void updateSW(true);
  },
});

mount(App, { target: document.getElementById('app')!, props: { session } });

// Once the page has read what it starts with (the engine's processors and formats, the history,
// settings and recent files), it says so on <html>: end-to-end tests wait for that, not for a quiet network.
void Promise.all([session.ready, session.library?.ready, session.recent.ready]).then(() => document.documentElement.setAttribute('data-ready', ''));

/** The File Handling API (Chromium): files opened with the installed app from the operating system. */
interface LaunchParams {
  readonly files: readonly FileSystemFileHandle[];
}
interface LaunchQueue {
  setConsumer(consumer: (params: LaunchParams) => void | Promise<void>): void;
}

const launchQueue = (window as Window & { launchQueue?: LaunchQueue }).launchQueue;
if (launchQueue) {
  launchQueue.setConsumer(async (params) => {
    const handle = params.files[0];
    // A report opens read-only, a log runs; either is kept in Recent files.
    if (handle) void session.openHandle(handle);
  });
}
