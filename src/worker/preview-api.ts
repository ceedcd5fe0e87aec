/**
 * The custom format editor's preview, run in a worker of its own (preview.ts): a user's pattern
 * may backtrack for minutes, and a worker is the one thing that can be stopped in the middle of
 * a regular expression. What comes back is plain data (a LogFormat holds functions).
 */
import { detectFormat, previewCustomFormat, type FormatIssue, type LinePreview } from '../engine/formats/index.ts';
import type { Result } from '../engine/types.ts';

/** Which format detection picks on the sample lines, the previewed one taking part. */
export interface SampleDetection {
  /** The format picked: null when it is the previewed one. */
  picked: { id: string; name: string } | null;
  /** The picked format's share of the lines it scored. */
  confidence: number;
  /** The previewed format's share of the lines it scored. */
  share: number;
}

export interface SamplePreview {
  lines: LinePreview[];
  /** Lines that matched the pattern. */
  matched: number;
  /** null without sample lines. */
  detection: SampleDetection | null;
}

/** What a spec makes of sample lines, and which format detection picks on them. */
export function previewSample(spec: unknown, sample: readonly string[]): Result<SamplePreview, FormatIssue[]> {
  const preview = previewCustomFormat(spec, sample);
  if (!preview.ok) return preview;
  const { format: own, lines, matched } = preview.value;
  if (lines.length === 0) return { ok: true, value: { lines, matched, detection: null } };
  const { format, confidence, scores } = detectFormat(sample, undefined, [own]);
  const score = scores.find((s) => s.id === own.id);
  const detection: SampleDetection = {
    picked: format === own ? null : { id: format.id, name: format.name },
    confidence,
    share: score && score.scored > 0 ? score.matched / score.scored : 0,
  };
  return { ok: true, value: { lines, matched, detection } };
}

export const previewApi = { preview: previewSample };

export type PreviewApi = typeof previewApi;
