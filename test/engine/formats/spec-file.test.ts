import { describe, expect, it } from 'vitest';
import { compileCustomFormat, createParseContext, layoutOfStrftime, readSpecFile } from '../../../src/engine/formats/index.ts';

const SPEC = { id: 'braces', name: 'Braces', pattern: '^<(?<timestamp>[^>]+)> (?<message>.*)' };

/** An lnav format file, as lnav's documentation writes them. */
const LNAV = {
  $schema: 'https://lnav.org/schemas/format-v1.schema.json',
  'my app.log': {
    title: 'My app',
    description: 'The app of the docs.',
    regex: {
      std: { pattern: '^(?<timestamp>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) (?<sev>\\w+) (?<mod>[\\w.]+): (?<body>.*)$' },
      short: { pattern: '^(?<body>.*)$' },
    },
    'level-field': 'sev',
    'module-field': 'mod',
    'timestamp-format': ['%Y-%m-%d %H:%M:%S.%L'],
    sample: [{ line: '2024-03-14 08:00:00.123 warning net.http: slow reply' }],
  },
};

describe('custom formats from JSON', () => {
  it('reads one spec, a list, or an export of them', () => {
    expect(readSpecFile(JSON.stringify(SPEC))).toEqual({ ok: true, value: { specs: [SPEC], notes: [] } });
    expect(readSpecFile(JSON.stringify([SPEC, SPEC]))).toEqual({ ok: true, value: { specs: [SPEC, SPEC], notes: [] } });
    expect(readSpecFile(JSON.stringify({ formats: [SPEC] }))).toEqual({ ok: true, value: { specs: [SPEC], notes: [] } });
  });

  it('converts an lnav format file: group names, strftime layout, samples, with notes on what is left out', () => {
    const read = readSpecFile(JSON.stringify(LNAV));
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const [spec] = read.value.specs as Record<string, string>[];
    expect(spec).toEqual({
      id: 'my_app.log',
      name: 'My app',
      description: 'The app of the docs.',
      pattern: '^(?<timestamp>\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3}) (?<level>\\w+) (?<component>[\\w.]+): (?<message>.*)$',
      timestampLayout: 'yyyy-MM-dd HH:mm:ss.SSS',
      sample: '2024-03-14 08:00:00.123 warning net.http: slow reply',
    });
    expect(read.value.notes).toEqual(['my app.log: only its first pattern ("std") is used; lnav also tries "short"']);
    // The converted spec works as written.
    const compiled = compileCustomFormat(spec);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.error));
    expect(compiled.value.parse(spec.sample, createParseContext())).toMatchObject({
      timestamp: Date.UTC(2024, 2, 14, 8, 0, 0, 123),
      level: 'WARN',
      component: 'net.http',
      message: 'slow reply',
    });
  });

  it('turns strftime formats into layouts, and gives up on what layouts lack', () => {
    expect(layoutOfStrftime('%d/%b/%Y:%H:%M:%S %z')).toBe('dd/MMM/yyyy:HH:mm:ss Z');
    expect(layoutOfStrftime('%Y-%m-%dT%H:%M:%S.%f')).toBe('yyyy-MM-ddTHH:mm:ss.SSSSSS');
    expect(layoutOfStrftime('%F at %T')).toBe("yyyy-MM-dd 'at' HH:mm:ss");
    expect(layoutOfStrftime('%s')).toBe('epoch');
    expect(layoutOfStrftime('%a %b %e %H:%M:%S %Y')).toBeNull();
  });

  it('refuses what is not JSON or not a format, saying so', () => {
    expect(readSpecFile('{oops')).toEqual({ ok: false, error: expect.stringMatching(/^not valid JSON/) });
    expect(readSpecFile('{"hello": 1}')).toEqual({ ok: false, error: expect.stringMatching(/^not a custom format/) });
    expect(readSpecFile('42').ok).toBe(false);
  });
});
