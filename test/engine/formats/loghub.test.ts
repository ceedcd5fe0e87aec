import { beforeAll, describe, expect, it } from 'vitest';
import { LOGHUB_SAMPLES } from '../processors/loghub.ts';
import { evaluate, SPECS, type SampleResult } from './accuracy.ts';

describe('Loghub samples against their ground truth', { tags: ['loghub'] }, () => {
  describe.each(LOGHUB_SAMPLES)('%s', (sample) => {
    // Evaluated once per sample, when its tests run (never while collecting: the samples may be missing).
    let result: SampleResult;
    beforeAll(() => {
      result = evaluate(sample);
    });

    it(`is detected as ${SPECS[sample].format} with confidence ≥ 0.9`, () => {
      expect(result.detected).toBe(result.expected);
      expect(result.confidence).toBeGreaterThanOrEqual(0.9);
    });

    it('parses every line, and its message equals the CSV Content on every line', () => {
      expect(result.mismatches).toEqual([]);
      expect(result.parsed).toBe(result.lines);
      expect(result.messages).toBe(result.lines);
    });

    // Apache's CSV has no header column the format reads besides its level and time.
    if (Object.keys(SPECS[sample].columns).length > 0) {
      it('gives component, pid and the other header columns as the CSV has them', () => {
        for (const [column, equal] of Object.entries(result.columns)) expect([column, equal]).toEqual([column, result.lines]);
      });
    }

    // Samples without a level column (HPC, Linux, Mac, OpenSSH, Proxifier) have no level test.
    if (SPECS[sample].level !== undefined) {
      it('counts the same levels as the ground truth, normalised', () => expect(result.levels!.parsed).toEqual(result.levels!.truth));
    }

    if (SPECS[sample].time !== undefined) {
      it('reads the first and last timestamps of the ground truth', () => expect(result.firstLast!.parsed).toEqual(result.firstLast!.truth));
    }
  });
});
