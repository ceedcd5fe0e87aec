import { describe, expect, it } from 'vitest';
import { capText, ErrorCollector, stackFrames } from '../../../src/engine/observe/errors.ts';
import { cutMark } from '../../../src/engine/observe/text-caps.ts';

class JsonParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonParseError';
  }
}

/** An error with a stack written by hand, as V8 would format it. */
function withStack(error: Error, stack: string): Error {
  Object.defineProperty(error, 'stack', { value: stack });
  return error;
}

const FRAMES = [
  '    at parse (http://localhost/assets/json.js:10:5)',
  '    at map (http://localhost/assets/executor.js:20:7)',
  '    at runMap (http://localhost/assets/executor.js:30:9)',
  '    at process (http://localhost/assets/executor.js:40:11)',
  '    at handle (http://localhost/assets/run.js:50:13)',
  '    at execute (http://localhost/assets/run.js:60:15)',
  '    at async run (http://localhost/assets/run.js:70:17)',
];

describe('ErrorCollector', () => {
  it('groups errors by processor and by type', () => {
    const errors = new ErrorCollector(10);
    errors.add('json', 1, 'x', new JsonParseError('bad'));
    errors.add('json', 2, 'y', new JsonParseError('bad'));
    errors.add('json', 3, 'z', new TypeError('boom'));
    errors.add('grok', 4, 'w', new Error('nope'));
    const section = errors.section();
    expect(section.total).toBe(4);
    expect(section.byProcessor).toEqual({ json: 3, grok: 1 });
    expect(section.byType).toEqual({ JsonParseError: 2, TypeError: 1, Error: 1 });
    expect(section.items.map((i) => [i.processor, i.lineNo, i.type, i.message])).toEqual([
      ['json', 1, 'JsonParseError', 'bad'],
      ['json', 2, 'JsonParseError', 'bad'],
      ['json', 3, 'TypeError', 'boom'],
      ['grok', 4, 'Error', 'nope'],
    ]);
  });

  it('keeps exact totals while only the most recent errors are kept (5,000 errors, cap 1,000)', () => {
    const errors = new ErrorCollector(1000);
    for (let i = 1; i <= 5000; i++) {
      const error = i % 5 === 0 ? new TypeError(`t${i}`) : new JsonParseError(`j${i}`);
      errors.add(i % 2 === 0 ? 'even' : 'odd', i, `line ${i}`, error);
    }
    const section = errors.section();
    expect(errors.total).toBe(5000);
    expect(section.total).toBe(5000);
    expect(section.byProcessor).toEqual({ odd: 2500, even: 2500 });
    expect(section.byType).toEqual({ JsonParseError: 4000, TypeError: 1000 });
    expect(section.items).toHaveLength(1000);
    expect(section.items[0].lineNo).toBe(4001);
    expect(section.items[999].lineNo).toBe(5000);
  });

  it('names thrown non-Error values by their kind and stringifies them', () => {
    const errors = new ErrorCollector(10);
    expect(errors.add('p', 1, 'l', 'plain string')).toMatchObject({ type: 'string', message: 'plain string' });
    expect(errors.add('p', 2, 'l', 42)).toMatchObject({ type: 'number', message: '42' });
    expect(errors.add('p', 3, 'l', null)).toMatchObject({ type: 'null', message: 'null' });
    expect(errors.add('p', 4, 'l', undefined)).toMatchObject({ type: 'undefined', message: 'undefined' });
    expect(errors.add('p', 5, 'l', Object.create(null))).toMatchObject({ type: 'object', message: '[object Object]' });
    const section = errors.section();
    expect(section.byType).toEqual({ string: 1, number: 1, null: 1, undefined: 1, object: 1 });
    expect(section.items.every((i) => i.stack === undefined && !('stack' in i))).toBe(true);
  });

  it('cuts the stored line and message to 4 KiB of UTF-8 each, marks the cut and counts it', () => {
    const errors = new ErrorCollector(10);
    const huge = 'x'.repeat(1_000_000);
    const item = errors.add('p', 1, huge, new Error('é'.repeat(10_000)));
    expect(item.text).toBe('x'.repeat(4096) + cutMark(1_000_000));
    // Two bytes a character: 2,048 of them fill the 4 KiB.
    expect(item.message).toBe('é'.repeat(2048) + cutMark(10_000));
    expect(errors.add('p', 2, 'y'.repeat(4096), new Error('e')).text).toBe('y'.repeat(4096));
    expect(errors.cut).toBe(2);
    expect(errors.section().cut).toBe(2);
  });

  it('leaves `cut` out of the section when nothing was cut', () => {
    const errors = new ErrorCollector(10);
    errors.add('p', 1, 'short', new Error('e'));
    expect('cut' in errors.section()).toBe(false);
  });

  it('never cuts a character in half', () => {
    const text = 'a'.repeat(4094) + '😀' + 'b';
    expect(capText(text)).toBe('a'.repeat(4094) + cutMark(text.length));
  });

  it('keeps the first 5 stack frames of kept errors, without the header', () => {
    const errors = new ErrorCollector(10);
    errors.add('json', 1, 'l', withStack(new JsonParseError('bad json'), ['JsonParseError: bad json', ...FRAMES].join('\n')));
    const [item] = errors.section().items;
    expect(item.stack).toEqual([
      'parse (http://localhost/assets/json.js:10:5)',
      'map (http://localhost/assets/executor.js:20:7)',
      'runMap (http://localhost/assets/executor.js:30:9)',
      'process (http://localhost/assets/executor.js:40:11)',
      'handle (http://localhost/assets/run.js:50:13)',
    ]);
  });

  it('reads a real V8 stack', () => {
    const errors = new ErrorCollector(10);
    let thrown: unknown;
    try {
      JSON.parse('{not json');
    } catch (error) {
      thrown = error;
    }
    errors.add('json', 1, '{not json', thrown);
    const [item] = errors.section().items;
    expect(item.type).toBe('SyntaxError');
    expect(item.stack!.length).toBeGreaterThan(0);
    expect(item.stack!.length).toBeLessThanOrEqual(5);
    expect(item.stack!.some((frame) => frame.includes('errors.test.ts'))).toBe(true);
    expect(item.stack!.every((frame) => !frame.startsWith('at ') && !frame.startsWith('SyntaxError'))).toBe(true);
  });
});

describe('stackFrames', () => {
  it('skips a header that spans several lines', () => {
    const error = withStack(new Error('first line\nsecond line\n    indented third'), [
      'Error: first line',
      'second line',
      '    indented third',
      ...FRAMES.slice(0, 2),
    ].join('\n'));
    expect(stackFrames(error)).toEqual([
      'parse (http://localhost/assets/json.js:10:5)',
      'map (http://localhost/assets/executor.js:20:7)',
    ]);
  });

  it('skips to the first frame when the header no longer matches the error', () => {
    const error = withStack(new Error('now'), ['Error: then\nmore', ...FRAMES.slice(0, 1)].join('\n'));
    expect(stackFrames(error)).toEqual(['parse (http://localhost/assets/json.js:10:5)']);
  });

  it('passes Firefox-style frames through', () => {
    const error = withStack(new Error('e'), 'parse@http://localhost/json.js:1:2\nmap@http://localhost/ex.js:3:4\n');
    expect(stackFrames(error)).toEqual(['parse@http://localhost/json.js:1:2', 'map@http://localhost/ex.js:3:4']);
  });

  it('is absent when there is no stack', () => {
    expect(stackFrames('str')).toBeUndefined();
    expect(stackFrames(withStack(new Error('e'), ''))).toBeUndefined();
    expect(stackFrames(withStack(new Error('e'), 'Error: e'))).toBeUndefined();
  });
});

describe('ErrorCollector stack reading', () => {
  it('reads the stack only of errors still kept when the section is made, and only once', () => {
    const reads: number[] = [];
    const errors = new ErrorCollector(2);
    for (let i = 1; i <= 5; i++) {
      const error = new Error(`e${i}`);
      Object.defineProperty(error, 'stack', {
        get: () => {
          reads.push(i);
          return `Error: e${i}\n    at f${i} (x.js:1:1)`;
        },
      });
      errors.add('p', i, 'l', error);
    }
    const first = errors.section();
    expect(first.items.map((i) => i.stack)).toEqual([['f4 (x.js:1:1)'], ['f5 (x.js:1:1)']]);
    errors.section();
    expect(reads).toEqual([4, 5]);
  });

  it('fills the stack into the item add returned', () => {
    const errors = new ErrorCollector(2);
    const item = errors.add('p', 1, 'l', withStack(new Error('e'), 'Error: e\n    at f (x.js:1:1)'));
    expect(item).toMatchObject({ processor: 'p', lineNo: 1, text: 'l', type: 'Error', message: 'e' });
    errors.section();
    expect(item.stack).toEqual(['f (x.js:1:1)']);
  });
});
