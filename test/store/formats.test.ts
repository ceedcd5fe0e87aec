import { describe, expect, it } from 'vitest';
import {
  deleteCustomFormat,
  loadCustomFormats,
  loadFormatChoice,
  readCustomFormats,
  saveCustomFormat,
  saveFormatChoice,
  withCustomFormat,
} from '../../src/store/formats.ts';
import { openTestDB } from './helpers.ts';

const BRACES = { id: 'braces', name: 'Braces', pattern: '^<(?<timestamp>[^>]+)> \\{(?<level>[A-Z])\\} (?<message>.*)', timestampLayout: 'yyyy/MM/dd HH:mm:ss' };
const SHOP = { id: 'shop', name: 'Shop', pattern: '^(?<level>[A-Z]+) (?<message>.*)' };

describe('custom formats in the store', () => {
  it('are saved, kept in order, replaced by id or by the id they had, and deleted', async () => {
    const db = await openTestDB();
    expect(await loadCustomFormats(db)).toEqual({ formats: [], refused: [] });
    expect(await saveCustomFormat(db, BRACES)).toEqual({ ok: true, value: [BRACES] });
    expect((await saveCustomFormat(db, SHOP)).ok).toBe(true);
    // Same id: replaced in place.
    expect((await saveCustomFormat(db, { ...BRACES, name: 'Braces v2' })).ok).toBe(true);
    // Edited under a new id: the old one goes, the new one takes its place.
    expect((await saveCustomFormat(db, { ...SHOP, id: 'shop2' }, 'shop')).ok).toBe(true);
    expect((await loadCustomFormats(db)).formats.map((f) => [f.id, f.name])).toEqual([
      ['braces', 'Braces v2'],
      ['shop2', 'Shop'],
    ]);

    expect(await deleteCustomFormat(db, 'braces')).toEqual({ ok: true, value: [{ ...SHOP, id: 'shop2' }] });
    expect((await loadCustomFormats(db)).formats.map((f) => f.id)).toEqual(['shop2']);
  });

  it('refuse a spec that does not compile, with the path and reason, and write nothing', async () => {
    const db = await openTestDB();
    const saved = await saveCustomFormat(db, { ...BRACES, pattern: '^(?<message>.*', colour: 'red' });
    expect(saved).toEqual({
      ok: false,
      error: [
        { path: 'colour', message: expect.stringContaining('unknown key') },
        { path: 'pattern', message: expect.stringMatching(/^invalid regular expression/) },
      ],
    });
    expect((await loadCustomFormats(db)).formats).toEqual([]);
  });

  it('are checked as they are read: what this version cannot use is left out, and said why', async () => {
    const db = await openTestDB();
    await db.put('settings', { version: 1, formats: [BRACES, { ...SHOP, pattern: '(' }, { ...BRACES, name: 'Twin' }, 'junk'] }, 'customFormats');
    const loaded = await loadCustomFormats(db);
    expect(loaded.formats).toEqual([BRACES]);
    expect(loaded.refused.map((i) => i.path)).toEqual(['customFormats[1].pattern', 'customFormats[2].id', 'customFormats[3]']);

    expect(readCustomFormats({ version: 9, formats: [BRACES] })).toEqual({
      formats: [],
      refused: [{ path: 'customFormats', message: 'not a list of custom formats this version of Linesight can read' }],
    });
    expect(readCustomFormats([BRACES]).formats).toEqual([]);
  });

  it('withCustomFormat puts a new format last and an edited one in its place', () => {
    const list = [BRACES, SHOP];
    const other = { ...SHOP, id: 'other' };
    expect(withCustomFormat(list, other).map((f) => f.id)).toEqual(['braces', 'shop', 'other']);
    expect(withCustomFormat(list, { ...BRACES, id: 'renamed' }, 'braces').map((f) => f.id)).toEqual(['renamed', 'shop']);
    expect(withCustomFormat(list, { ...SHOP, name: 'New' }).map((f) => f.name)).toEqual(['Braces', 'New']);
  });
});

describe('the remembered format choice', () => {
  const choice = (format: string, timeZoneOffsetMinutes = 0) => ({ format, timeZoneOffsetMinutes });

  it('is "auto" in UTC until one is saved, then the saved one', async () => {
    const db = await openTestDB();
    expect(await loadFormatChoice(db)).toEqual(choice('auto'));
    expect(await saveFormatChoice(db, choice('braces', 330))).toEqual({ ok: true, value: choice('braces', 330) });
    expect(await loadFormatChoice(db)).toEqual(choice('braces', 330));
    expect(await saveFormatChoice(db, choice('auto', -210))).toEqual({ ok: true, value: choice('auto', -210) });
    expect(await loadFormatChoice(db)).toEqual(choice('auto', -210));
  });

  it('refuses what is not a format id or a zone offset, and reads each bad part stored as its default', async () => {
    const db = await openTestDB();
    expect(await saveFormatChoice(db, choice('not an id'))).toEqual({ ok: false, error: '"not an id" is not a format id' });
    for (const minutes of [7, 900, -780, 1.5]) {
      expect(await saveFormatChoice(db, choice('log4j', minutes))).toEqual({ ok: false, error: `${minutes} minutes is not a time zone offset` });
    }
    for (const bad of [{ format: 42 }, 'log4j', { format: '<script>' }, null]) {
      await db.put('settings', bad, 'formatChoice');
      expect(await loadFormatChoice(db)).toEqual(choice('auto'));
    }
    // A bad zone keeps a good format, and the other way round (a stored choice from before zones had none).
    await db.put('settings', { version: 1, format: 'log4j', timeZoneOffsetMinutes: '+02:00' }, 'formatChoice');
    expect(await loadFormatChoice(db)).toEqual(choice('log4j'));
    await db.put('settings', { version: 1, format: 7, timeZoneOffsetMinutes: 60 }, 'formatChoice');
    expect(await loadFormatChoice(db)).toEqual(choice('auto', 60));
  });
});
