import { describe, expect, it } from 'vitest';
import { compileCustomFormat, compileLayout, createParseContext, type LogFormat } from '../../../src/engine/formats/index.ts';
import { createTimestampContext } from '../../../src/engine/metrics/timestamps.ts';

function compile(spec: unknown): LogFormat {
  const result = compileCustomFormat(spec);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function layout(text: string, value: string, year = 2024, zone = 0): string | null {
  const reader = compileLayout(text);
  if (!reader.ok) throw new Error(reader.error);
  const t = reader.value(value, createTimestampContext({ year, timeZoneOffsetMinutes: zone }));
  return t === null ? null : new Date(t).toISOString();
}

describe('custom formats', () => {
  const spec = {
    id: 'shop',
    name: 'Shop service',
    pattern: '^(?<timestamp>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}) \\[(?<level>\\w+)\\] (?<component>[\\w.]+)\\((?<pid>\\d+)\\) (?:user=(?<user>\\S+) )?- (?<message>.*)',
    timestampLayout: 'yyyy-MM-dd HH:mm:ss.SSS',
  };

  it('fills the fields from named groups; other groups are extra fields', () => {
    const format = compile(spec);
    expect(format).toMatchObject({ id: 'shop', name: 'Shop service', family: 'custom', hasHeaders: true });
    expect(format.parse('2024-03-14 08:00:00.123 [warning] shop.cart(42) user=u-1 - cart expired', createParseContext())).toEqual({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'WARN',
      levelRaw: 'warning',
      component: 'shop.cart',
      pid: '42',
      thread: null,
      message: 'cart expired',
      extra: { user: 'u-1' },
    });
    expect(format.parse('something else', createParseContext())).toBeNull();
  });

  it('keeps the lines of a joined entry in the message', () => {
    const format = compile(spec);
    expect(format.parse('2024-03-14 08:00:00.123 [ERROR] a.b(1) - boom\n\tat x.Y(Y.java:1)', createParseContext())?.message).toBe('boom\n\tat x.Y(Y.java:1)');
  });

  it('without a message group the whole line is the message, and the level comes from it', () => {
    const format = compile({ id: 'x', name: 'X', pattern: '^\\d+ ' });
    expect(format.hasHeaders).toBe(false);
    expect(format.parse('12 ERROR disk full', createParseContext())).toMatchObject({ message: '12 ERROR disk full', level: 'ERROR', levelRaw: null, timestamp: null });
  });

  it('reads a timestamp group without a layout with the automatic reader', () => {
    const format = compile({ id: 'auto', name: 'Auto', pattern: '^(?<timestamp>\\S+) (?<message>.*)', multiline: false });
    expect(format.hasHeaders).toBe(false);
    expect(format.parse('2024-03-14T08:00:00Z hello', createParseContext())?.timestamp).toBe(Date.UTC(2024, 2, 14, 8));
  });

  it('rejects what cannot work, with the path and a reason, every problem at once', () => {
    const result = compileCustomFormat(
      { id: 'syslog', name: '', pattern: '(?<message>.*', timestampLayout: 'yyyy-QQ', colour: 'red', multiline: 'yes' },
      'customFormats[2]',
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((issue) => issue.path)).toEqual([
      'customFormats[2].colour',
      'customFormats[2].id',
      'customFormats[2].name',
      'customFormats[2].pattern',
      'customFormats[2].timestampLayout',
      'customFormats[2].multiline',
    ]);
    expect(result.error[1].message).toContain('built-in');
    expect(result.error[3].message).toMatch(/^invalid regular expression/);
    expect(result.error[4].message).toContain('unknown token "Q"');
  });

  it('rejects a layout without a timestamp group to read, a bad id, and a spec that is not an object', () => {
    const noGroup = compileCustomFormat({ id: 'a', name: 'A', pattern: '^(?<message>.*)', timestampLayout: 'iso' });
    expect(noGroup.ok ? [] : noGroup.error).toEqual([{ path: 'timestampLayout', message: 'the pattern has no (?<timestamp>...) group for it to read' }]);
    const badId = compileCustomFormat({ id: 'has space', name: 'A', pattern: 'x' });
    expect(badId.ok ? [] : badId.error.map((i) => i.path)).toEqual(['id']);
    expect(compileCustomFormat('nope').ok).toBe(false);
    expect(compileCustomFormat({}).ok ? [] : (compileCustomFormat({}) as { error: { path: string }[] }).error.map((i) => i.path)).toEqual(['id', 'name', 'pattern']);
  });
});

describe('timestamp layouts', () => {
  it('reads the common tokens', () => {
    expect(layout('yyyy-MM-dd HH:mm:ss.SSS', '2024-03-14 08:00:00.123')).toBe('2024-03-14T08:00:00.123Z');
    expect(layout('yyyy-MM-dd HH:mm:ss,SSS', '2024-03-14 08:00:00,1')).toBe('2024-03-14T08:00:00.100Z');
    expect(layout("yyyy-MM-dd'T'HH:mm:ss.SSSSSSZ", '2024-03-14T08:00:00.123456+02:00')).toBe('2024-03-14T06:00:00.123Z');
    expect(layout('yyyy-MM-ddTHH:mm:ssZ', '2024-03-14T08:00:00Z')).toBe('2024-03-14T08:00:00.000Z');
    expect(layout('dd/MMM/yyyy:HH:mm:ss Z', '10/Oct/2000:13:55:36 -0700')).toBe('2000-10-10T20:55:36.000Z');
    expect(layout('yy/MM/dd HH:mm:ss', '17/06/09 20:10:40')).toBe('2017-06-09T20:10:40.000Z');
  });

  it('takes the context year for year-less layouts and the user zone when there is none', () => {
    expect(layout('MMM dd HH:mm:ss', 'Jul  1 09:00:55', 2017)).toBe('2017-07-01T09:00:55.000Z');
    expect(layout('MMM dd HH:mm:ss', 'Jul 1 09:00:55', 2017)).toBe('2017-07-01T09:00:55.000Z');
    expect(layout('yyyy-MM-dd HH:mm:ss', '2024-03-14 08:00:00', 2024, 60)).toBe('2024-03-14T07:00:00.000Z');
  });

  it('reads epochs and ISO', () => {
    expect(layout('epoch', '1710403200')).toBe('2024-03-14T08:00:00.000Z');
    expect(layout('epoch', '1710403200.5')).toBe('2024-03-14T08:00:00.500Z');
    expect(layout('epoch_ms', '1710403200123')).toBe('2024-03-14T08:00:00.123Z');
    expect(layout('iso', '2024-03-14T08:00:00.5+01:00')).toBe('2024-03-14T07:00:00.500Z');
  });

  it('gives null for text that does not fit, and rejects unknown or incomplete layouts', () => {
    expect(layout('yyyy-MM-dd HH:mm:ss', '2024-02-30 08:00:00')).toBeNull();
    expect(layout('yyyy-MM-dd HH:mm:ss', '14/03/2024 08:00')).toBeNull();
    expect(layout('yyyy-MM-dd HH:mm:ss', '2024-03-14 08:00:00 and more')).toBeNull();
    expect(layout('epoch', 'soon')).toBeNull();
    expect(compileLayout('yyyy-MM-dd hh:mm').ok).toBe(false);
    expect(compileLayout('HH:mm:ss').ok).toBe(false);
    expect(compileLayout("yyyy-MM-dd 'unclosed").ok).toBe(false);
  });
});
