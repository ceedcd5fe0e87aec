import { it } from 'vitest';
import { makeRunId } from '../../src/ui/session.svelte.ts';
it('x', () => { console.log(makeRunId(new Date()), makeRunId(new Date()), crypto.getRandomValues(new Uint32Array(2))); });
