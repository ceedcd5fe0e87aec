/**
 * The custom format editor's preview as its worker runs it (src/worker/preview-api.ts): plain
 * data that crosses postMessage, and which format detection picks on the sample lines.
 */
import { describe, expect, it } from 'vitest';
import { previewSample } from '../../src/worker/preview-api.ts';

const BRACES = {
  id: 'braces',
  name: 'Braces',
  pattern: '^<(?<timestamp>[^>]+)> \\{(?<level>[A-Z])\\} (?<message>.*)',
  timestampLayout: 'yyyy/MM/dd HH:mm:ss',
};
const LOG4J = ['2024-03-14 08:00:00,001 INFO [main] shop.App: starting', '2024-03-14 08:00:01,002 WARN [cart] shop.Cart: expired'];

describe('the preview worker', () => {
  it('answers with plain data, each line with its fields, and detection picking the format', () => {
    const preview = previewSample(BRACES, ['<2024/03/14 08:00:00> {W} disk slow', '', 'a banner line']);
    // What the worker posts back must survive structured cloning: no functions inside.
    const posted = structuredClone(preview);
    expect(posted).toEqual(preview);
    expect(posted).toMatchObject({
      ok: true,
      value: {
        matched: 1,
        lines: [
          { line: '<2024/03/14 08:00:00> {W} disk slow', fields: { timestamp: Date.UTC(2024, 2, 14, 8), level: 'WARN', message: 'disk slow' }, problem: null },
          { line: 'a banner line', fields: null, problem: expect.stringMatching(/^does not match the pattern/) },
        ],
        // The banner line counts against it, and still no other format reads more.
        detection: { picked: null, confidence: 0.5, share: 0.5 },
      },
    });
  });

  it('names the format detection picks instead, with this one share of the lines', () => {
    const preview = previewSample(BRACES, [...LOG4J, '<2024/03/14 08:00:00> {W} disk slow']);
    if (!preview.ok) throw new Error('refused');
    expect(preview.value.detection).toEqual({ picked: { id: 'log4j', name: expect.any(String) }, confidence: 2 / 3, share: 1 / 3 });
  });

  it('has no detection without sample lines, and the issues of a spec that does not compile', () => {
    expect(previewSample(BRACES, ['', '  '])).toEqual({ ok: true, value: { lines: [], matched: 0, detection: null } });
    const refused = previewSample({ ...BRACES, pattern: '(' }, LOG4J);
    expect(refused.ok ? [] : refused.error.map((issue) => issue.path)).toEqual(['pattern']);
  });
});
