/** Custom formats in a run: detection against the built-ins, an explicit choice, bad specs, previews. */
import { describe, expect, it } from 'vitest';
import { compileCustomFormats, detectFormat, previewCustomFormat } from '../../../src/engine/formats/index.ts';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { runLog } from '../../../src/engine/run.ts';

function config(value: unknown) {
  const parsed = parsePipeline(value);
  if (!parsed.ok) throw new Error(formatIssues(parsed.error));
  return parsed.value;
}

const PARSE = { processors: [{ type: 'parse' }] };

/**
 * A log4j service whose lines sometimes carry a sequence number in front: log4j reads only the
 * others, the user's format reads them all.
 */
const SHOP = [
  '2024-03-14 08:00:00,001 INFO [main] shop.App: starting',
  '2024-03-14 08:00:01,002 WARN [cart] shop.Cart: expired for u-1',
  '#3 2024-03-14 08:00:02,003 ERROR [pay] shop.Pay: refused: card declined',
  '2024-03-14 08:00:03,004 INFO [main] shop.App: ready',
  '2024-03-14 08:00:04,005 WARN [stock] shop.Stock: low: sku 42',
  '#6 2024-03-14 08:00:05,006 ERROR [pay] shop.Pay: refused: timeout',
];

const SHOP_FORMAT = {
  id: 'shop',
  name: 'Shop service',
  pattern: '^(?:#(?<seq>\\d+) )?(?<timestamp>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}) (?<level>[A-Z]+) \\[(?<thread>[^\\]]+)\\] (?<component>\\S+): (?<message>.*)',
  timestampLayout: 'yyyy-MM-dd HH:mm:ss,SSS',
};

/** A made-up layout no built-in format reads: `<2024/03/14 08:00:00> {W} message`. */
const BRACES = ['<2024/03/14 08:00:00> {I} up', '<2024/03/14 08:00:01> {W} slow', '<2024/03/14 08:00:02> {E} down', '<2024/03/14 08:00:03> {W} slow again'];
const BRACES_FORMAT = {
  id: 'braces',
  name: 'Braces',
  pattern: '^<(?<timestamp>[^>]+)> \\{(?<level>[A-Z])\\} (?<message>.*)',
  timestampLayout: 'yyyy/MM/dd HH:mm:ss',
};

describe('custom formats in detection', () => {
  it('a custom format wins over the built-ins when it reads more of the first lines', () => {
    const builtIn = detectFormat(SHOP);
    expect(builtIn.format.id).toBe('log4j');
    expect(builtIn.confidence).toBeCloseTo(4 / 6);
    const { formats } = compileCustomFormats([SHOP_FORMAT]);
    const detection = detectFormat(SHOP, undefined, formats);
    expect(detection.format.id).toBe('shop');
    expect(detection.confidence).toBe(1);
    expect(detection.scores.find((s) => s.id === 'log4j')).toEqual({ id: 'log4j', matched: 4, scored: 6 });
  });

  it('a run detects it, names it in the report, and takes its levels and times from it', async () => {
    const report = await runLog(new Blob([BRACES.join('\n')]), config(PARSE), { customFormats: [SHOP_FORMAT, BRACES_FORMAT] });
    expect(report.format).toEqual({ id: 'braces', name: 'Braces', confidence: 1, overridden: false, unmatchedLines: 0, multilineJoined: 0 });
    expect(report.levels).toMatchObject({ INFO: 1, WARN: 2, ERROR: 1 });
    expect(report.timeRange).toEqual({ start: '2024-03-14T08:00:00.000Z', end: '2024-03-14T08:00:03.000Z' });
  });

  it('without the custom format the same file is plain text', async () => {
    const report = await runLog(new Blob([BRACES.join('\n')]), config(PARSE));
    expect(report.format?.id).toBe('plain');
  });

  it('a custom format can be chosen by its id', async () => {
    const report = await runLog(new Blob([SHOP.join('\n')]), config(PARSE), { format: 'braces', customFormats: [BRACES_FORMAT] });
    expect(report.format).toMatchObject({ id: 'braces', name: 'Braces', overridden: true, confidence: 1 });
    // Not one shop line fits the braces pattern: with multi-line on they all stay entries that did not fit.
    expect(report.format?.unmatchedLines).toBe(SHOP.length);
  });

  it('a broken spec is refused with its path and reason in the event log; the run and the good formats go on', async () => {
    const broken = { id: 'broken', name: 'Broken', pattern: '^(?<timestamp>\\S+' };
    const report = await runLog(new Blob([BRACES.join('\n')]), config(PARSE), { customFormats: [broken, BRACES_FORMAT, { ...BRACES_FORMAT, name: 'Again' }] });
    expect(report.run.status).toBe('completed');
    expect(report.format?.id).toBe('braces');
    const refused = report.events.items.filter((e) => e.event === 'custom_format_refused');
    expect(refused.map((e) => [e.level, e.component, e.path])).toEqual([
      ['warn', 'formats', 'customFormats[0].pattern'],
      ['warn', 'formats', 'customFormats[2].id'],
    ]);
    expect(refused[0].message).toMatch(/^invalid regular expression/);
    expect(refused[1].message).toBe('"braces" is the id of an earlier custom format');
  });
});

describe('previewing a custom format', () => {
  it('gives each sample line its fields, or why it does not fit', () => {
    const preview = previewCustomFormat(BRACES_FORMAT, [BRACES[0], '', 'a banner line', '<yesterday> {E} odd stamp']);
    expect(preview.ok).toBe(true);
    if (!preview.ok) return;
    // The odd stamp matches the pattern but its time cannot be read: it does not count as fitting.
    expect(preview.value.matched).toBe(1);
    expect(preview.value.lines.map((l) => l.line)).toEqual([BRACES[0], 'a banner line', '<yesterday> {E} odd stamp']);
    const [up, banner, odd] = preview.value.lines;
    expect(up.fields).toMatchObject({ timestamp: Date.UTC(2024, 2, 14, 8), level: 'INFO', levelRaw: 'I', message: 'up' });
    expect(up.problem).toBeNull();
    expect(banner.fields).toBeNull();
    expect(banner.problem).toBe('does not match the pattern: in a run it joins the entry above (multi-line)');
    expect(odd.fields).toMatchObject({ timestamp: null, level: 'ERROR' });
    expect(odd.problem).toBe('timestamp "yesterday" does not fit the layout "yyyy/MM/dd HH:mm:ss"');
  });

  it('refuses a spec that does not compile, with the issues', () => {
    const preview = previewCustomFormat({ ...BRACES_FORMAT, timestampLayout: 'yyyy-QQ' }, BRACES);
    expect(preview.ok ? [] : preview.error.map((i) => i.path)).toEqual(['timestampLayout']);
  });
});
