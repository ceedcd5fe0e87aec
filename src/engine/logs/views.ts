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

/** One file's part of a view: entries kept (null: every entry, as the index grows), and entries matched. */
interface FilePart {
  rows: RowSet | null;
  matches: RowSet | null;
}

interface View {
  query: LogQuery;
  parts: FilePart[];
  /** A run of several files: the rows as entries of all files (see `global`), merged by log time. */
  merged: Uint32Array | null;
  text: TextMatcher | null;
  progress: LogViewProgress;
  controller: AbortController;
}

/**
 * Several files are one list of rows merged by log time, like lnav: an entry is numbered in the
 * files' entries laid end to end (`global`); an entry without a time keeps the time of the one
 * before it in its file, so it stays where it was written.
 */
interface MergedOrder {
  entries: number;
  /** Global entry ids in merged order. */
  order: Uint32Array;
  /** Each global entry's time for the order (its own, or the one before it in its file). */
  times: Float64Array;
}

export class LogViews implements LogSource {
  private readonly views = new Map<number, View>();
  private nextView = 1;
  private readonly caches: Map<number, ReadEntry[]>[];
  private readonly files: readonly LogFile[];
  private merged: MergedOrder | null = null;

  constructor(
    files: LogFile | readonly LogFile[],
    private readonly searcher: BlockSearcher = searchHere,
    /** Why the files cannot be read again (a stored run whose file is gone), or null. */
    private readonly unreadable: string | null = null,
  ) {
    this.files = Array.isArray(files) ? (files as readonly LogFile[]) : [files as LogFile];
    this.caches = this.files.map(() => new Map());
  }

  private get several(): boolean {
    return this.files.length > 1;
  }

  async info(): Promise<LogIndexInfo | null> {
    const entries = this.files.reduce((n, f) => n + f.index.entries, 0);
    if (entries === 0 && this.unreadable === null) return null;
    let firstTs = Infinity;
    let lastTs = -Infinity;
    for (const file of this.files) {
      const span = file.span?.() ?? indexSpan(file.index);
      if (span) {
        firstTs = Math.min(firstTs, span.first);
        lastTs = Math.max(lastTs, span.last);
      }
    }
    const summaries = this.files.map(({ name, size, index }) => ({ name, size, entries: index.entries, lines: index.blocks ? index.linesTotal : 0 }));
    return {
      files: summaries,
      entries,
      lines: summaries.reduce((n, f) => n + f.lines, 0),
      firstTs: firstTs === Infinity ? null : firstTs,
      lastTs: lastTs === -Infinity ? null : lastTs,
      readable: this.unreadable === null,
      ...(this.unreadable !== null ? { unreadableReason: this.unreadable } : {}),
    };
  }

  async openView(query: LogQuery, onProgress: (progress: LogViewProgress) => void): Promise<number> {
    const id = this.nextView++;
    const total = this.files.reduce((n, f) => n + (query.files && !query.files.includes(this.files.indexOf(f)) ? 0 : f.size), 0);
    const view: View = {
      query,
      parts: this.files.map(() => ({ rows: null, matches: null })),
      merged: null,
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
    const parsers = new Map<number, ReturnType<typeof readerParser>>();
    for (let row = Math.max(0, start); row < Math.min(total, start + count); row++) {
      const at = this.entryAt(view, row);
      if (at === null) break;
      const { file, entry } = at;
      const read = await this.entry(file, entry);
      if (!read) break;
      let parser = parsers.get(file);
      if (!parser) parsers.set(file, (parser = readerParser(this.files[file].reading)));
      const before = parser.unmatched;
      const fields = parser.parse(read.text);
      const cut = read.text.length > LOG_ROW_MAX_CHARS;
      const text = cut ? read.text.slice(0, LOG_ROW_MAX_CHARS) : read.text;
      const unmatched = parser.unmatched !== before;
      const part = view.parts[file];
      out.push({
        row,
        file,
        lineNo: read.lineNo,
        lineCount: read.lines,
        offset: read.offset,
        text,
        cut,
        level: LEVELS[this.files[file].index.levelOf(entry)],
        ts: fields.timestamp ?? null,
        component: fields.component,
        message: unmatched ? null : fields.message,
        unmatched,
        marks: view.text && (view.query.onlyMatches || part.matches?.has(entry)) ? view.text.marks(text) : [],
      });
    }
    return out;
  }

  async rowOfLine(id: number, fileNo: number, lineNo: number): Promise<number | null> {
    const view = this.views.get(id);
    const file = this.files[fileNo];
    if (!view || !file || file.index.blocks === 0) return null;
    const index = file.index;
    const b = index.blockOfLine(lineNo - 1);
    const block = index.block(b);
    const entries = await this.blockEntries(fileNo, b);
    let entry = block.firstEntry + entries.length;
    for (let k = 0; k < entries.length; k++) {
      if (entries[k].lineNo + entries[k].lines - 1 >= lineNo) {
        entry = block.firstEntry + k;
        break;
      }
    }
    return this.rowAtOrAfter(view, fileNo, entry);
  }

  async rowOfTime(id: number, ts: number): Promise<number | null> {
    const view = this.views.get(id);
    if (!view) return null;
    if (view.merged && this.merged) {
      // Rows are in time order: the first at or after `ts`.
      const { times } = this.merged;
      const list = view.merged;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (times[list[mid]] < ts) lo = mid + 1;
        else hi = mid;
      }
      return lo < list.length ? lo : null;
    }
    const index = this.files[0].index;
    const rows = view.parts[0].rows;
    for (let b = 0; b < index.blocks; b++) {
      const block = index.block(b);
      // Times are kept to the block's unit: an entry in the unit of `ts` is at it.
      const unit = TIME_UNITS_MS[index.unitOf(b)];
      const at = Math.floor(ts / unit) * unit;
      for (let e = block.firstEntry; e < block.firstEntry + block.entries; e++) {
        if (index.timeOf(e, b) >= at && (!rows || rows.has(e))) return this.rowAtOrAfter(view, 0, e);
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
    if (view.merged) {
      for (let r = row + direction; r >= 0 && r < total; r += direction) {
        const at = this.entryAt(view, r)!;
        if (view.parts[at.file].matches?.has(at.entry)) return r;
      }
      return null;
    }
    const { rows, matches } = view.parts[0];
    if (!matches) return null;
    const entry = rows ? rows.select(row) : row;
    const from = row < 0 || entry < 0 ? (direction === 1 ? -1 : matches.size) : entry;
    const next = matches.next(from, direction);
    if (next < 0) return null;
    return rows ? rows.rank(next) : next;
  }

  async fullText(id: number, row: number): Promise<string> {
    const view = this.views.get(id);
    if (!view) return '';
    const at = this.entryAt(view, row);
    return at ? ((await this.entry(at.file, at.entry))?.text ?? '') : '';
  }

  private rowCount(view: View): number {
    if (view.merged) return view.merged.length;
    if (this.several) return 0;
    const rows = view.parts[0].rows;
    return rows ? rows.count : this.files[0].index.entries;
  }

  /** The file and entry of a row, or null past the view's end. */
  private entryAt(view: View, row: number): { file: number; entry: number } | null {
    if (row < 0 || row >= this.rowCount(view)) return null;
    if (view.merged) return this.local(view.merged[row]);
    const rows = view.parts[0].rows;
    const entry = rows ? rows.select(row) : row;
    return entry < 0 ? null : { file: 0, entry };
  }

  private rowAtOrAfter(view: View, file: number, entry: number): number | null {
    if (view.merged && this.merged) {
      // The row of the entry, or of the first one after it in merged order that the view keeps.
      const { times } = this.merged;
      const g = this.global(file, entry);
      const key = times[g];
      const list = view.merged;
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const m = list[mid];
        if (times[m] < key || (times[m] === key && m < g)) lo = mid + 1;
        else hi = mid;
      }
      return lo < list.length ? lo : null;
    }
    const rows = view.parts[0].rows;
    const row = rows ? rows.rank(entry) : entry;
    return row < this.rowCount(view) ? row : null;
  }

  /** Entries of all files laid end to end: the global id of an entry of a file. */
  private global(file: number, entry: number): number {
    let base = 0;
    for (let f = 0; f < file; f++) base += this.files[f].index.entries;
    return base + entry;
  }

  private local(id: number): { file: number; entry: number } {
    let rest = id;
    for (let f = 0; f < this.files.length; f++) {
      const n = this.files[f].index.entries;
      if (rest < n) return { file: f, entry: rest };
      rest -= n;
    }
    return { file: this.files.length - 1, entry: rest };
  }

  /** The files' entries merged by log time (made again when the files have grown). */
  private mergedOrder(): MergedOrder {
    const entries = this.files.reduce((n, f) => n + f.index.entries, 0);
    if (this.merged && this.merged.entries === entries) return this.merged;
    const times = new Float64Array(entries);
    let at = 0;
    for (const file of this.files) {
      const { index } = file;
      let last = -Infinity;
      for (let b = 0; b < index.blocks; b++) {
        const block = index.block(b);
        for (let e = block.firstEntry; e < block.firstEntry + block.entries; e++) {
          const t = index.timeOf(e, b);
          if (t === t) last = t;
          times[at++] = last;
        }
      }
    }
    const order = new Uint32Array(entries);
    for (let i = 0; i < entries; i++) order[i] = i;
    // Stable by time: ties keep file order, then entry order (the ids are in that order).
    order.sort((a, b) => times[a] - times[b] || a - b);
    this.merged = { entries, order, times };
    return this.merged;
  }

  /** Rows of a query: the index's filters here, then a scan of the files for search and field terms. */
  private async compute(view: View, onProgress: (progress: LogViewProgress) => void): Promise<void> {
    const { query } = view;
    const signal = view.controller.signal;
    const report = (patch: Partial<LogViewProgress>) => {
      view.progress = { ...view.progress, ...patch };
      onProgress(view.progress);
    };
    const scanFilter: EntrySearch = {
      ...(query.fields?.length ? { fields: query.fields } : {}),
      ...(query.unmatched ? { unmatched: true } : {}),
      ...(query.onlyMatches && query.search ? { search: query.search } : {}),
    };
    const marking = !query.onlyMatches && query.search && query.search.text !== '' ? { search: query.search } : null;
    const needRows = needsScan(scanFilter);
    const filters = this.files.map((file, f) => (query.files && !query.files.includes(f) ? RowSet.empty(file.index.entries) : indexFilter(file.index, query)));
    let scanned = 0;
    let failure: string | undefined;
    const matchCount = () => view.parts.reduce((n, p) => n + (p.matches ? p.matches.count : 0), 0);
    const progress = () => ({ scannedBytes: Math.min(scanned, view.progress.totalBytes), rows: this.rowCount(view), matches: marking ? matchCount() : this.rowCount(view) });
    if (needRows || marking) {
      await Promise.all(
        this.files.map(async (file, f) => {
          if (query.files && !query.files.includes(f)) return;
          const entries = file.index.entries;
          const base = filters[f];
          // Until the scan ends, the rows are what it kept so far.
          const kept = needRows ? new RowSet(entries) : null;
          const matched = marking ? new RowSet(entries) : null;
          view.parts[f] = { rows: kept ?? base ?? RowSet.all(entries), matches: matched };
          await Promise.all(
            tasksOf(file.index, base).map(async (blocks) => {
              try {
                const [narrow, mark] = await Promise.all([
                  kept ? this.searcher(file, blocks, scanFilter, signal) : null,
                  matched ? this.searcher(file, blocks, { ...scanFilter, search: marking!.search }, signal) : null,
                ]);
                if (signal.aborted) return;
                if (narrow && kept) kept.addWords(narrow.first, narrow.bits);
                if (mark && matched) matched.addWords(mark.first, mark.bits);
                if (base) {
                  kept?.intersect(base);
                  matched?.intersect(base);
                }
              } catch (error) {
                failure ??= error instanceof Error ? error.message : String(error);
              }
              scanned += blocks[blocks.length - 1].end - blocks[0].offset;
              if (!signal.aborted && !this.several) report(progress());
            }),
          );
          if (base) {
            kept?.intersect(base);
            matched?.intersect(base);
          }
        }),
      );
    } else {
      filters.forEach((rows, f) => (view.parts[f] = { rows, matches: null }));
    }
    if (signal.aborted) return;
    if (this.several) view.merged = this.mergedRows(view);
    report({ ...progress(), scannedBytes: view.progress.totalBytes, done: true, ...(failure ? { error: `The search stopped: ${failure}` } : {}) });
  }

  /** The rows of a view over several files: the merged order, kept to the entries each file's part keeps. */
  private mergedRows(view: View): Uint32Array {
    const { order } = this.mergedOrder();
    const bases: number[] = [];
    let base = 0;
    for (const file of this.files) {
      bases.push(base);
      base += file.index.entries;
    }
    const keep = (g: number) => {
      let f = bases.length - 1;
      while (f > 0 && bases[f] > g) f--;
      const rows = view.parts[f].rows;
      return rows === null || rows.has(g - bases[f]);
    };
    if (view.parts.every((p) => p.rows === null)) return order;
    let n = 0;
    const out = new Uint32Array(order.length);
    for (let i = 0; i < order.length; i++) if (keep(order[i])) out[n++] = order[i];
    return out.slice(0, n);
  }

  /** Entry `entry` of a file read back (its block read and cached). */
  private async entry(file: number, entry: number): Promise<ReadEntry | null> {
    const index = this.files[file].index;
    if (entry < 0 || entry >= index.entries) return null;
    const b = index.blockOf(entry);
    const entries = await this.blockEntries(file, b);
    return entries[entry - index.block(b).firstEntry] ?? null;
  }

  private async blockEntries(fileNo: number, b: number): Promise<ReadEntry[]> {
    const cache = this.caches[fileNo];
    const hit = cache.get(b);
    if (hit) {
      cache.delete(b);
      cache.set(b, hit);
      return hit;
    }
    const file = this.files[fileNo];
    const index = file.index;
    const block = index.block(b);
    const bytes = await readBytes(file.blob, block.offset, block.end);
    const entries = entriesOf(bytes, block.offset, block.firstLine, file.reading, index.joinsOf(b));
    cache.set(b, entries);
    if (cache.size > CACHED_BLOCKS) cache.delete(cache.keys().next().value!);
    return entries;
  }
}

/** Earliest and latest time in an index (to its blocks' units), or null. */
function indexSpan(index: LogIndex): { first: number; last: number } | null {
  let first = Infinity;
  let last = -Infinity;
  for (let b = 0; b < index.blocks; b++) {
    const block = index.block(b);
    for (let e = block.firstEntry; e < block.firstEntry + block.entries; e++) {
      const t = index.timeOf(e, b);
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  return first === Infinity ? null : { first, last };
}

/** The entries of a file the index alone keeps (levels, time range, failed), or null for all. */
function indexFilter(index: LogIndex, query: LogQuery): RowSet | null {
  const entries = index.entries;
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

/** A file's blocks in search tasks of about TASK_BYTES, skipping blocks with no entry kept. */
function tasksOf(index: LogIndex, rows: RowSet | null): SearchBlock[][] {
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
    current.push({
      offset: block.offset,
      end: block.end,
      firstLine: block.firstLine,
      firstEntry: block.firstEntry,
      entries: block.entries,
      lines: index.linesOf(b),
      joins: index.joinWordsOf(b),
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
