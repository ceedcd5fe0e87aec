/** Which format a file is in, from its first lines. */
import { ALL_FORMATS, PLAIN_FORMAT } from './registry.ts';
import { createParseContext, type LogFormat } from './types.ts';

/** Lines looked at: enough to outvote a banner or a few odd lines, cheap on every format. */
export const DETECT_MAX_LINES = 200;
/** Below this share of matched lines no format is claimed: the file is plain text. */
export const MIN_CONFIDENCE = 0.5;

export interface FormatScore {
  id: string;
  /** Lines the format parsed. */
  matched: number;
  /** Lines it was scored on (continuation lines are left out for formats with headers). */
  scored: number;
}

export interface Detection {
  format: LogFormat;
  /**
   * The share of scored lines the format parsed (0..1). For `plain` it is one minus the best
   * share: how sure we are that no format fits.
   */
  confidence: number;
  /** Every format tried, custom ones first, in the order tried. */
  scores: FormatScore[];
  /** Non-empty lines looked at. */
  sampled: number;
}

// Continuation lines of multi-line entries: indented lines (Java frames "\tat ...", Python's
// "  File ..."), and the unindented lines of Java and Python traces.
const CONTINUATION =
  /^(?:[ \t]|at |\.\.\. ?\d|Caused by:|Suppressed:|Traceback \(most recent call last\)|During handling of the above exception|The above exception was the direct cause|(?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Throwable|Warning|Exit|Interrupt)(?::|$))/;

/** A line that most likely continues the entry above it rather than starting one. */
export function looksLikeContinuation(line: string): boolean {
  return CONTINUATION.test(line);
}

/** A whole JSON object on one line: it stands alone, even inside a text log (a sidecar's lines). */
export function isStandaloneJson(line: string): boolean {
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) <= 32) end--;
  return line.charCodeAt(0) === 123 && line.charCodeAt(end - 1) === 125;
}

/**
 * Scores each format on the first non-empty lines (up to DETECT_MAX_LINES): a line counts when
 * `parse` returns fields. For formats with headers, lines that look like continuations are left
 * out, so a log full of stack traces still reads as its format. The best share wins; on a tie
 * the format tried first (custom formats, then `formats` in order: specific to generic). Below
 * MIN_CONFIDENCE the answer is `plain`.
 */
export function detectFormat(
  lines: readonly string[],
  formats: readonly LogFormat[] = ALL_FORMATS,
  custom: readonly LogFormat[] = [],
): Detection {
  const sample: string[] = [];
  for (let i = 0; i < lines.length && sample.length < DETECT_MAX_LINES; i++) {
    if (lines[i].trim() !== '') sample.push(lines[i]);
  }
  const continuation = sample.map(looksLikeContinuation);
  const scores: FormatScore[] = [];
  let best: LogFormat | null = null;
  let bestShare = 0;
  for (const format of [...custom, ...formats]) {
    if (format === PLAIN_FORMAT) continue;
    // A context of its own: year-less stamps move its year state on.
    const ctx = createParseContext();
    let matched = 0;
    let scored = 0;
    for (let i = 0; i < sample.length; i++) {
      if (format.hasHeaders && continuation[i]) continue;
      scored++;
      const line = sample[i];
      if ((format.detect === undefined || format.detect(line)) && format.parse(line, ctx) !== null) matched++;
    }
    scores.push({ id: format.id, matched, scored });
    const share = scored > 0 ? matched / scored : 0;
    if (share > bestShare) {
      best = format;
      bestShare = share;
    }
  }
  if (best === null || bestShare < MIN_CONFIDENCE) {
    return { format: PLAIN_FORMAT, confidence: sample.length > 0 ? 1 - bestShare : 0, scores, sampled: sample.length };
  }
  return { format: best, confidence: bestShare, scores, sampled: sample.length };
}
