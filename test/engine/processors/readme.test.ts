import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { processorReferenceMarkdown, replaceReference } from '../../../src/engine/processors/reference.ts';

describe('README processor reference', () => {
  it('is the one generated from the registry (run `npm run docs` after changing a processor)', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toBe(replaceReference(readme));
    expect(readme).toContain(processorReferenceMarkdown());
  });

  it('replaces only the text between the markers', () => {
    const doc = 'intro\n<!-- processor-reference:start -->\nold\n<!-- processor-reference:end -->\noutro';
    expect(replaceReference(doc, 'new\n')).toBe('intro\n<!-- processor-reference:start -->\nnew\n<!-- processor-reference:end -->\noutro');
  });
});
