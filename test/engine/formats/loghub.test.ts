import { describe, expect, it } from 'vitest';
import { LOGHUB_SAMPLES, loghubAvailable } from '../processors/loghub.ts';
import { evaluate, SPECS } from './accuracy.ts';

describe('Loghub samples against their ground truth', () => {
  if (!loghubAvailable) it.skip('needs ../shared/data/loghub', () => {});

  // Evaluated while collecting, so that each sample's checks can be named; only when the data is there.
  describe.each(loghubAvailable ? LOGHUB_SAMPLES : [])('%s', (sample) => {
    const result = evaluate(sample);

    it(`is detected as ${SPECS[sample].format} with confidence ≥ 0.9`, () => {
      expect(result.detected).toBe(result.expected);
      expect(result.confidence).toBeGreaterThanOrEqual(0.9);
    });

    it('parses every line, and its message equals the CSV Content on every line', () => {
      expect(result.mismatches).toEqual([]);
      expect(result.parsed).toBe(result.lines);
      expect(result.messages).toBe(result.lines);
    });

    it('gives component, pid and the other header columns as the CSV has them', () => {
      for (const [column, equal] of Object.entries(result.columns)) expect([column, equal]).toEqual([column, result.lines]);
    });

    // Samples without a level column (HPC, Linux, Mac, OpenSSH, Proxifier) have no level test.
    if (result.levels !== null) {
      const { parsed, truth } = result.levels;
      it('counts the same levels as the ground truth, normalised', () => expect(parsed).toEqual(truth));
    }

    if (result.firstLast !== null) {
      const { parsed, truth } = result.firstLast;
      it('reads the first and last timestamps of the ground truth', () => expect(parsed).toEqual(truth));
    }
  });
});
