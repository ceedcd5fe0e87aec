export { LineSplitter, DEFAULT_MAX_LINE_BYTES, detectLineEnd } from './splitter.ts';
export type { LineEnd, LineSplitterOptions, SplitterStats } from './splitter.ts';
export { openSource, describeInputError, sniffBinary, SNIFF_BYTES } from './source.ts';
export type { BlobLike, ByteSource, Compression } from './source.ts';
