import { describe, expect, it } from 'vitest';
import { deletePipeline, listPipelines, savePipeline } from '../../src/store/pipelines.ts';
import { openTestDB } from './helpers.ts';

const SEED = '{"processors":[{"type":"line_counter","id":"counter","format":"Line {count}: {line}"}]}';

describe('saved pipelines', () => {
  it('round-trip by name, text kept verbatim; saving a name again replaces it', async () => {
    const db = await openTestDB();
    expect((await savePipeline(db, ' errors only ', '{ "processors": [] }\n')).ok).toBe(true);
    expect((await savePipeline(db, 'seed', 'draft')).ok).toBe(true);
    expect((await savePipeline(db, 'seed', SEED)).ok).toBe(true);
    const saved = await listPipelines(db);
    expect(saved.map(({ name, text }) => ({ name, text }))).toEqual([
      { name: 'errors only', text: '{ "processors": [] }\n' },
      { name: 'seed', text: SEED },
    ]);
    expect(Number.isNaN(Date.parse(saved[1].savedAt))).toBe(false);

    expect(await deletePipeline(db, 'seed')).toEqual({ ok: true, value: true });
    expect(await deletePipeline(db, 'seed')).toEqual({ ok: true, value: false });
    expect((await listPipelines(db)).map((p) => p.name)).toEqual(['errors only']);
  });

  it('refuses an empty name and writes nothing', async () => {
    const db = await openTestDB();
    expect(await savePipeline(db, '   ', SEED)).toEqual({ ok: false, error: { kind: 'invalid', message: 'A saved pipeline needs a name.' } });
    expect(await listPipelines(db)).toEqual([]);
  });
});
