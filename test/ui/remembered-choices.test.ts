/**
 * Opening files as they come (from the OS at start, one after another) against the choices the
 * user made earlier: a run must use the remembered ones, and the file opened last must win.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { openLinesightDB } from '../../src/store/index.ts';
import { Library } from '../../src/ui/library.svelte.ts';
import { Session } from '../../src/ui/session.svelte.ts';
import type { FormatInfo } from '../../src/worker/client.ts';
import { fakeEngine } from './fake-engine.ts';
import { until } from './until.ts';

const BUILT_IN: FormatInfo[] = [{ id: 'log4j', name: 'Log4j', family: 'jvm', description: 'log4j layout.' }];

function visit(factory: IDBFactory) {
  const fake = fakeEngine();
  const engine = Object.assign(fake.engine, { formats: vi.fn(async () => BUILT_IN) });
  const library = new Library({ open: (h) => openLinesightDB({ ...h, factory }), persist: async () => null, isLive: async () => false });
  return { ...fake, session: new Session(engine, library), library };
}

describe('remembered choices and files opened as they come', () => {
  it('a file opened at start (from the OS) runs with the remembered format and time zone', async () => {
    const factory = new IDBFactory();
    const first = visit(factory);
    await first.session.ready;
    first.session.formatChoice = 'log4j';
    first.session.timeZone = 120;
    await until(() => expect(first.library.formatChoice).toEqual({ format: 'log4j', timeZoneOffsetMinutes: 120 }));

    // The page reloaded, a file handed over at once: nothing is ready yet.
    const second = visit(factory);
    void second.session.open(new File(['a\n'], 'app.log'));
    await until(() => expect(second.runs).toHaveLength(1));
    expect(second.runs[0].start).toMatchObject({ format: 'log4j', timeZoneOffsetMinutes: 120 });
  });

  it('a choice made before the remembered ones are read keeps the other remembered one', async () => {
    const factory = new IDBFactory();
    const first = visit(factory);
    await first.session.ready;
    first.session.timeZone = 330;
    await until(() => expect(first.library.formatChoice.timeZoneOffsetMinutes).toBe(330));

    const second = visit(factory);
    second.session.formatChoice = 'log4j';
    await second.session.ready;
    await until(() => expect(second.library.formatChoice).toEqual({ format: 'log4j', timeZoneOffsetMinutes: 330 }));
    expect(second.session.timeZone).toBe(330);
  });

  it('the file opened last wins, even when the one before is still being told apart from a report', async () => {
    const { session, runs } = visit(new IDBFactory());
    await session.ready;
    // A .json file is read to tell a report; the log dropped right after must not be replaced by it.
    const json = new File(['{"level":"info","msg":"a"}\n'], 'events.json', { type: 'application/json' });
    const slowText = json.slice.bind(json);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    vi.spyOn(json, 'slice').mockImplementation((...args) => {
      const part = slowText(...args);
      return Object.assign(part, { text: async () => (await held, Blob.prototype.text.call(part)) });
    });
    const first = session.openFile(json);
    const second = session.openFile(new File(['b\n'], 'app.log'));
    await until(() => expect(runs).toHaveLength(1));
    release();
    await first;
    expect(runs.map((run) => run.file.name)).toEqual(['app.log']);
    runs[0].finish();
    await second;
    expect(runs).toHaveLength(1);
  });
});
