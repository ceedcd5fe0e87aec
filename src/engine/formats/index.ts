/**
 * Log formats: detection, parsers, multi-line joining, custom formats.
 *
 *   const { format, confidence } = detectFormat(firstLines, ALL_FORMATS, customFormats);
 *   const parser = new LineParser(format, createParseContext({ year: 2024, timeZoneOffsetMinutes: 60 }));
 *   const joiner = format.hasHeaders ? new EntryJoiner(parser.isHeader) : null;
 *   for (const entry of joiner ? joiner.push(records) : records) use(entry, parser.parse(entry.text));
 *   // ... joiner.finish() at the end; parser.unmatched, joiner.joined for the report
 *
 * `format.parse(line, ctx)` alone returns null for a line that is not in the format.
 */
export { ALL_FORMATS, formatById, PLAIN_FORMAT } from './registry.ts';
export { detectFormat, isStandaloneJson, looksLikeContinuation, DETECT_MAX_LINES, MIN_CONFIDENCE } from './detect.ts';
export type { Detection, FormatScore } from './detect.ts';
export { EntryJoiner, headerTest, DEFAULT_MAX_ENTRY_CHARS, DEFAULT_MAX_ENTRY_LINES } from './multiline.ts';
export type { JoinOptions } from './multiline.ts';
export { compileCustomFormat, compileCustomFormats, compileLayout, previewCustomFormat, PREVIEW_MAX_LINES } from './custom.ts';
export type { CustomFormatSpec, FormatIssue, FormatPreview, LinePreview, TimestampReader } from './custom.ts';
export { layoutOfStrftime, readSpecFile } from './spec-file.ts';
export type { SpecFile } from './spec-file.ts';
export { LineParser } from './parser.ts';
export { createParseContext } from './types.ts';
export type { FormatFamily, LogFormat, ParseContext, ParsedFields } from './types.ts';
