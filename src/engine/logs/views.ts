/**
 * The Logs view's source over a run's file: views (rows for a query) computed from the index
 * (levels, times, failed entries) and, for search and field terms, by reading the file in the
 * workers; rows read back from the file a window at a time.
 */
import { LEVELS } from '../types.ts';
import type { FormatPlan } from '../scan/types.ts';
import type { BlobLike } from '../lines/source.ts';
import type { LogIndex } from './log-index.ts';
import { entriesOf, readBytes, readerParser, type EntryReading, type ReadEntry } from './reader.ts';
import { RowSet } from './rowset.ts';
import { compileText, needsScan, searchBlocks, type EntrySearch, type SearchBlock, type TextMatcher } from './search.ts';
import { LOG_ROW_MAX_CHARS, type LogIndexInfo, type LogQuery, type LogRow, type LogSource, type LogViewProgress } from './types.ts';
import { codeLevel, codeTime, TIME_UNITS_MS } from './index-part.ts';

/** How a worker reads a file's entries back: plain data (the format by id, as the scan had it). */
export interface ReadingPlan {
  format: FormatPlan;
  customFormats: readonly unknown[];
  lineEnd: EntryReading['lineEnd'];
  maxLineBytes: number;
  timeZoneOffsetMinutes: number;
}

/** One file of a run, as the views read it. */
export interface LogFile {
  name: string;
  size: number;
  blob: BlobLike;
  index: LogIndex;
  reading: EntryReading;
  /** The same reading as plain data, for searches in the workers. */
  plan: ReadingPlan;
  /** The earliest and latest log time, exact (the index keeps times to its blocks' units). */
  span?: () => { first: number; last: number } | null;
}

/** Searches consecutive blocks of a file (in a worker, or here): the bitset of entries kept, from `first`. */
export type BlockSearcher = (file: LogFile, blocks: SearchBlock[], search: EntrySearch, signal: AbortSignal) => Promise<{ first: number; bits: Uint32Array }>;

/** Searches blocks in this thread. */
export const searchHere: BlockSearcher = async (file, blocks, search) => {
  const bytes = await readBytes(file.blob, blocks[0].offset, blocks[blocks.length - 1].end);
  return searchBlocks(bytes, blocks, file.reading, search);
};

/** Bytes of the file one search task reads. */
const TASK_BYTES = 8 << 20;
/** Blocks whose entries are kept read back (a screen or two of rows, and the one a jump lands in). */
const CACHED_BLOCKS = 8;

interface View {
  query: LogQuery;
  /** The rows: entries kept by the filters (and the search when it narrows); null: every entry, as the index grows. */
  rows: RowSet | null;
  /** Entries the search matched, when it marks rather than narrows. */
  matches: RowSet | null;
  text: TextMatcher | null;
  progress: LogViewProgress;
  controller: AbortController;
}

export class LogViews implements LogSource {
  private readonly views = new Map<number, View>();
  private nextView = 1;
  private readonly cache = new Map<number, ReadEntry[]>();

  constructor(
    private readonly file: LogFile,
    private readonly searcher: BlockSearcher = searchHere,
    /** Why the file cannot be read again (a stored run whose file is gone), or null. */
    private readonly unreadable: string | null = null,
  ) {}

  async info(): Promise<LogIndexInfo | null> {
    const { index, name, size } = this.file;
    if (index.entries === 0 && this.unreadable === null) return null;
    let firstTs = Infinity;
    let lastTs = -Infinity;
    const span = this.file.span?.();
    if (span) {
      firstTs = span.first;
      lastTs = span.last;
    } else {
      for (let b = 0; b < index.blocks; b++) {
        const block = index.block(b);
        for (let e = block.firstEntry; e < block.firstEntry + block.entries; e++) {
          const t = index.timeOf(e, b);
          if (t < firstTs) firstTs = t;
          if (t > lastTs) lastTs = t;
        }
      }
    }
    const lines = index.blocks ? index.linesTotal : 0;
    return {
      files: [{ name, size, entries: index.entries, lines }],
      entries: index.entries,
      lines,
      firstTs: firstTs === Infinity ? null : firstTs,
      lastTs: lastTs === -Infinity ? null : lastTs,
      readable: this.unreadable === null,
      ...(this.unreadable !== null ? { unreadableReason: this.unreadable } : {}),
    };
  }

  async openView(query: LogQuery, onProgress: (progress: LogViewProgress) => void): Promise<number> {
    const id = this.nextView++;
    const total = this.file.size;
    const view: View = {
      query,
      rows: null,
      matches: null,
      text: null,
      progress: { scannedBytes: 0, totalBytes: total, rows: 0, matches: 0, done: false },
      controller: new AbortController(),
    };
    this.views.set(id, view);
    try {
      if (query.search && query.search.text !== '') view.text = compileText(query.search);
    } catch (error) {
      view.progress = { ...view.progress, done: true, error: (error as Error).message };
      onProgress(view.progress);
      return id;
    }
    void this.compute(view, onProgress);
    return id;
  }

  async closeView(id: number): Promise<void> {
    this.views.get(id)?.controller.abort();
    this.views.delete(id);
  }

  async rows(id: number, start: number, count: number): Promise<LogRow[]> {
    const view = this.views.get(id);
    if (!view || this.unreadable !== null) return [];
    const total = this.rowCount(view);
    const out: LogRow[] = [];
    const parser = readerParser(this.file.reading);
    for (let row = Math.max(0, start); row < Math.min(total, start + count); row++) {
      const entry = view.rows ? view.rows.select(row) : row;
      if (entry < 0) break;
      const read = await this.entry(entry);
      if (!read) break;
      const before = parser.unmatched;
      const fields = parser.parse(read.text);
      const cut = read.text.length > LOG_ROW_MAX_CHARS;
      const text = cut ? read.text.slice(0, LOG_ROW_MAX_CHARS) : read.text;
      const index = this.file.index;
      const unmatched = parser.unmatched !== before;
      out.push({
        row,
        file: 0,
        lineNo: read.lineNo,
        lineCount: read.lines,
        offset: read.offset,
        text,
        cut,
        level: LEVELS[index.levelOf(entry)],
        ts: fields.timestamp ?? null,
        component: fields.component,
        message: unmatched ? null : fields.message,
        unmatched,
        marks: view.text && (view.query.onlyMatches || view.matches?.has(entry)) ? view.text.marks(text) : [],
      });
    }
    return out;
  }

  async rowOfLine(id: number, _file: number, lineNo: number): Promise<number | null> {
    const view = this.views.get(id);
    const index = this.file.index;
    if (!view || index.blocks === 0) return null;
    const b = index.blockOfLine(lineNo - 1);
    const block = index.block(b);
    const entries = await this.blockEntries(b);
    let entry = block.firstEntry + entries.length;
    for (let k = 0; k < entries.length; k++) {
      if (entries[k].lineNo + entries[k].lines - 1 >= lineNo) {
        entry = block.firstEntry + k;
        break;
      }
    }
    return this.rowAtOrAfter(view, entry);
  }

  async rowOfTime(id: number, ts: number): Promise<number | null> {
    const view = this.views.get(id);
    const index = this.file.index;
    if (!view) return null;
    for (let b = 0; b < index.blocks; b++) {
      const block = index.block(b);
      // Times are kept to the block's unit: an entry in the unit of `ts` is at it.
      const unit = TIME_UNITS_MS[index.unitOf(b)];
      const at = Math.floor(ts / unit) * unit;
      for (let e = block.firstEntry; e < block.firstEntry + block.entries; e++) {
        if (index.timeOf(e, b) >= at && (!view.rows || view.rows.has(e))) return this.rowAtOrAfter(view, e);
      }
    }
    return null;
  }

  async nextMatch(id: number, row: number, direction: 1 | -1): Promise<number | null> {
    const view = this.views.get(id);
    if (!view || !view.text) return null;
    const total = this.rowCount(view);
    if (view.query.onlyMatches) {
      const next = row + direction;
      return next >= 0 && next < total ? next : null;
    }
    const matches = view.matches;
    if (!matches) return null;
    const entry = view.rows ? view.rows.select(row) : row;
    const from = entry < 0 ? (direction === 1 ? -1 : matches.size) : entry;
    const next = matches.next(from, direction);
    if (next < 0) return null;
    return view.rows ? view.rows.rank(next) : next;
  }

  async fullText(id: number, row: number): Promise<string> {
    const view = this.views.get(id);
    if (!view) return '';
    const entry = view.rows ? view.rows.select(row) : row;
    return (await this.entry(entry))?.text ?? '';
  }

  private rowCount(view: View): number {
    return view.rows ? view.rows.count : this.file.index.entries;
  }

  private rowAtOrAfter(view: View, entry: number): number | null {
    const row = view.rows ? view.rows.rank(entry) : entry;
    return row < this.rowCount(view) ? row : null;
  }

  /** Rows of a query: the index's filters here, then a scan of the file for search and field terms. */
  private async compute(view: View, onProgress: (progress: LogViewProgress) => void): Promise<void> {
    const { query } = view;
    const { index } = this.file;
    const entries = index.entries;
    const signal = view.controller.signal;
    const report = (patch: Partial<LogViewProgress>) => {
      view.progress = { ...view.progress, ...patch };
      onProgress(view.progress);
    };
    let rows = this.indexFilter(query, entries);
    const scanFilter: EntrySearch = {
      ...(query.fields?.length ? { fields: query.fields } : {}),
      ...(query.unmatched ? { unmatched: true } : {}),
      ...(query.onlyMatches && query.search ? { search: query.search } : {}),
    };
    const marking = !query.onlyMatches && query.search && query.search.text !== '' ? { search: query.search } : null;
    const needRows = needsScan(scanFilter);
    if (!needRows && !marking) {
      view.rows = rows;
      report({ scannedBytes: view.progress.totalBytes, rows: this.rowCount(view), matches: 0, done: true });
      return;
    }
    // Until the scan ends, the rows are what it kept so far.
    const kept = needRows ? new RowSet(entries) : null;
    const matched = marking ? new RowSet(entries) : null;
    view.rows = kept ? kept : (rows ?? RowSet.all(entries));
    view.matches = matched;
    const tasks = this.tasks(rows);
    let scanned = 0;
    let failure: string | undefined;
    await Promise.all(
      tasks.map(async (blocks) => {
        try {
          const [narrow, mark] = await Promise.all([
            kept ? this.searcher(this.file, blocks, scanFilter, signal) : null,
            matched ? this.searcher(this.file, blocks, { ...scanFilter, ...marking, search: marking!.search }, signal) : null,
          ]);
          if (signal.aborted) return;
          if (narrow && kept) kept.addWords(narrow.first, narrow.bits);
          if (mark && matched) matched.addWords(mark.first, mark.bits);
          if (rows) {
            kept?.intersect(rows);
            matched?.intersect(rows);
          }
        } catch (error) {
          failure ??= error instanceof Error ? error.message : String(error);
        }
        scanned += blocks[blocks.length - 1].end - blocks[0].offset;
        if (!signal.aborted) report({ scannedBytes: Math.min(scanned, view.progress.totalBytes), rows: this.rowCount(view), matches: matched ? matched.count : this.rowCount(view) });
      }),
    );
    if (signal.aborted) return;
    if (rows && kept) kept.intersect(rows);
    if (rows && matched) matched.intersect(rows);
    report({
      scannedBytes: view.progress.totalBytes,
      rows: this.rowCount(view),
      matches: matched ? matched.count : this.rowCount(view),
      done: true,
      ...(failure ? { error: `The search stopped: ${failure}` } : {}),
    });
  }

  /** The entries the index alone keeps (levels, time range, failed), or null for all. */
  private indexFilter(query: LogQuery, entries: number): RowSet | null {
    const { index } = this.file;
    const levels = query.levels && query.levels.length < LEVELS.length ? new Set(query.levels.map((l) => LEVELS.indexOf(l))) : null;
    const range = query.timeRange ?? null;
    const failed = query.failed ? index.failedBits() : null;
    if (!levels && !range && !failed) return null;
    const set = failed ? new RowSet(entries, resize(failed, Math.ceil(entries / 32))) : RowSet.all(entries);
    if (!levels && !range) return set;
    const codes = index.entryCodes;
    for (let b = 0; b < index.blocks; b++) {
      const block = index.block(b);
      for (let e = block.firstEntry; e < block.firstEntry + block.entries; e++) {
        if (!set.has(e)) continue;
        const code = codes[e];
        if (levels && !levels.has(codeLevel(code))) {
          set.remove(e);
          continue;
        }
        if (range) {
          const t = codeTime(code, index.baseOf(b), index.unitOf(b));
          if (!(t >= range.from && t < range.to)) set.remove(e);
        }
      }
    }
    return set;
  }

  /** The index's blocks in tasks of about TASK_BYTES, skipping blocks with no entry kept. */
  private tasks(rows: RowSet | null): SearchBlock[][] {
    const { index } = this.file;
    const tasks: SearchBlock[][] = [];
    let current: SearchBlock[] = [];
    let bytes = 0;
    for (let b = 0; b < index.blocks; b++) {
      const block = index.block(b);
      if (rows && !anyIn(rows, block.firstEntry, block.entries)) {
        if (current.length) tasks.push(current);
        current = [];
        bytes = 0;
        continue;
      }
      const next = b + 1 < index.blocks ? index.block(b + 1).firstLine : index.linesTotal;
      current.push({
        offset: block.offset,
        end: block.end,
        firstLine: block.firstLine,
        firstEntry: block.firstEntry,
        entries: block.entries,
        lines: next - block.firstLine,
        leading: block.firstEntry < index.leadingEntries,
      });
      bytes += block.end - block.offset;
      if (bytes >= TASK_BYTES) {
        tasks.push(current);
        current = [];
        bytes = 0;
      }
    }
    if (current.length) tasks.push(current);
    return tasks;
  }

  /** Entry `entry` read back from the file (its block read and cached). */
  private async entry(entry: number): Promise<ReadEntry | null> {
    const index = this.file.index;
    if (entry < 0 || entry >= index.entries) return null;
    const b = index.blockOf(entry);
    const entries = await this.blockEntries(b);
    return entries[entry - index.block(b).firstEntry] ?? null;
  }

  private async blockEntries(b: number): Promise<ReadEntry[]> {
    const hit = this.cache.get(b);
    if (hit) {
      this.cache.delete(b);
      this.cache.set(b, hit);
      return hit;
    }
    const index = this.file.index;
    const block = index.block(b);
    const bytes = await readBytes(this.file.blob, block.offset, block.end);
    const entries = entriesOf(bytes, block.offset, block.firstLine, this.file.reading, block.firstEntry < index.leadingEntries);
    this.cache.set(b, entries);
    if (this.cache.size > CACHED_BLOCKS) this.cache.delete(this.cache.keys().next().value!);
    return entries;
  }
}

function anyIn(rows: RowSet, first: number, count: number): boolean {
  for (let e = first; e < first + count; e++) if (rows.has(e)) return true;
  return false;
}

function resize(words: Uint32Array, length: number): Uint32Array {
  if (words.length === length) return words;
  const out = new Uint32Array(length);
  out.set(words.subarray(0, length));
  return out;
}
