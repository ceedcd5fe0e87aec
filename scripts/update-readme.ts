// Regenerates the processor reference (from the registry) and the keyboard shortcuts table in README.md: `npm run docs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceReference } from '../src/engine/processors/reference.ts';
import { replaceShortcuts } from '../src/ui/shortcuts.ts';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = replaceShortcuts(replaceReference(before));
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md is up to date' : 'README.md updated');
