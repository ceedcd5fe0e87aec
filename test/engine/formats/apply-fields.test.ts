import { describe, expect, it } from 'vitest';
import { applyFields } from '../../../src/engine/formats/stage.ts';
import type { ParsedFields } from '../../../src/engine/formats/types.ts';
import type { LogRecord } from '../../../src/engine/types.ts';

function record(fields?: Record<string, unknown>): LogRecord {
  return { lineNo: 1, offset: 0, text: 'a line', level: undefined, ts: undefined, fields, parsedText: undefined, original: undefined, trace: undefined };
}

function parsed(extra?: Record<string, string | number>): ParsedFields {
  return { timestamp: 1_700_000_000_000, level: 'WARN', levelRaw: 'warning', component: 'sshd', pid: '42', thread: null, message: 'hello', extra };
}

const COMMON = ['timestamp', 'level', 'levelRaw', 'component', 'pid', 'thread', 'message'];

describe('applyFields', () => {
  it('gives a line without extras the common fields, its level and time', () => {
    const r = record();
    applyFields(r, parsed());
    expect(Object.keys(r.fields!)).toEqual(COMMON);
    expect(r.fields).toMatchObject({ timestamp: 1_700_000_000_000, level: 'WARN', levelRaw: 'warning', component: 'sshd', message: 'hello' });
    expect(r).toMatchObject({ level: 'WARN', ts: 1_700_000_000_000, parsedText: 'a line' });
  });

  it('keeps the record’s fields, then the extras, then the common fields, which win over both', () => {
    const r = record({ user: 'ann', level: 'from an earlier processor' });
    applyFields(r, parsed({ status: 404, message: 'an extra called message', host: 'web1' }));
    expect(Object.entries(r.fields!)).toEqual([
      ['user', 'ann'],
      ['level', 'WARN'],
      ['status', 404],
      ['message', 'hello'],
      ['host', 'web1'],
      ['timestamp', 1_700_000_000_000],
      ['levelRaw', 'warning'],
      ['component', 'sshd'],
      ['pid', '42'],
      ['thread', null],
    ]);
  });

  it('keeps a "__proto__" key as a plain field without touching the prototype', () => {
    const before = JSON.parse('{"__proto__": "x", "user": "ann"}') as Record<string, unknown>;
    const r = record(before);
    applyFields(r, parsed());
    expect(Object.getPrototypeOf(r.fields)).toBe(Object.prototype);
    expect(Object.hasOwn(r.fields!, '__proto__')).toBe(true);
    expect(Object.keys(r.fields!)).toEqual(['__proto__', 'user', ...COMMON]);
  });

  it('agrees with object spread whatever the mix of shapes', () => {
    const extras: (Record<string, string | number> | undefined)[] = [
      undefined,
      { node: 'n1', type: 'RAS' },
      { logId: 7, node: 'n', state: 's', flag: 1 },
      { host: 'h', pid: 'x' },
    ];
    const befores: (Record<string, unknown> | undefined)[] = [undefined, { a: 1 }, { message: 'old', b: 2 }];
    for (const before of befores) {
      for (const extra of extras) {
        const fields = parsed(extra);
        const r = record(before && { ...before });
        applyFields(r, fields);
        const { extra: _, ...common } = fields;
        const spread = { ...before, ...extra, ...common };
        expect(Object.entries(r.fields!)).toEqual(Object.entries(spread));
      }
    }
  });
});
