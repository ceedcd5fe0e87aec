// Regenerates the processor reference in README.md from the registry: `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceReference } from '../src/engine/processors/reference.ts';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = replaceReference(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md is up to date' : 'README.md reference updated');
