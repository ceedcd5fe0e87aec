import { describe, expect, it } from 'vitest';
import { describeProcessors, registry } from '../../../src/engine/processors/registry.ts';
import { processorReferenceMarkdown } from '../../../src/engine/processors/reference.ts';
import type { ParamSpec } from '../../../src/engine/processors/types.ts';

const allParams = (params: readonly ParamSpec[]): ParamSpec[] =>
  params.flatMap((param) => [param, ...allParams(param.items ?? [])]);

describe('registry', () => {
  it('lists every processor type once, keyed by its type id', () => {
    const types = describeProcessors().map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual([...registry.keys()]);
    expect(types).toEqual(
      expect.arrayContaining(['filter', 'uppercase', 'lowercase', 'line_counter', 'level', 'json', 'counter', 'router']),
    );
  });

  it('has complete descriptors: title, one-line description, and each param described with an example or default', () => {
    for (const descriptor of describeProcessors()) {
      expect(descriptor.title, descriptor.type).not.toBe('');
      expect(descriptor.description, descriptor.type).toMatch(/^[^\n]+\.$/);
      for (const param of allParams(descriptor.params)) {
        const where = `${descriptor.type}.${param.name}`;
        expect(param.description, where).not.toBe('');
        expect(param.example !== undefined || param.default !== undefined, where).toBe(true);
        if (param.type === 'enum' || param.type === 'strings') expect(param.values, where).toBeDefined();
        if (param.type === 'list') expect(param.items?.length, where).toBeGreaterThan(0);
        if (param.default !== undefined && param.min !== undefined) expect(param.default).toBeGreaterThanOrEqual(param.min);
        if (param.default !== undefined && param.max !== undefined) expect(param.default).toBeLessThanOrEqual(param.max);
      }
    }
  });

  it('gives routers, and only routers, a branches() hook', () => {
    for (const module of registry.values()) {
      expect(module.branches !== undefined, module.descriptor.type).toBe(module.descriptor.kind === 'router');
    }
  });

  it('creates every type with its defaults alone, except those with required params or a check() that needs more', () => {
    for (const { descriptor, create, check } of registry.values()) {
      if (descriptor.params.some((p) => p.required)) continue;
      const defaults = Object.fromEntries(
        descriptor.params.filter((p) => p.default !== undefined).map((p) => [p.name, p.default]),
      );
      if (check?.(defaults)) continue;
      expect(create(defaults).kind, descriptor.type).toBe(descriptor.kind);
    }
  });
});

describe('processorReferenceMarkdown', () => {
  const markdown = processorReferenceMarkdown();

  it('has a section per type, in registry order', () => {
    const headings = [...markdown.matchAll(/^### .* \(`(\w+)`\)$/gm)].map((m) => m[1]);
    expect(headings).toEqual([...registry.keys()]);
  });

  it('lists params in a table, list item fields as name[].field, with pipes escaped', () => {
    expect(markdown).toContain('| `routes[].levels` | strings (TRACE, DEBUG, INFO, WARN, ERROR, FATAL, UNKNOWN) |');
    expect(markdown).toContain('| `top` | integer | `100` | 1–10000 |');
    expect(markdown).toContain('`"timeout\\|refused"`');
    for (const row of markdown.split('\n').filter((line) => line.startsWith('| `'))) {
      expect(row.replace(/\\\|/g, '').split('|'), row).toHaveLength(8);
    }
  });
});
