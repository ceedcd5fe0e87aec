/**
 * Every pattern a user writes (filter, router, counter, extract, redact, ...) compiles here, onto
 * a linear-time engine: re2js, a port of RE2. Whatever the pattern and the line, matching takes
 * time proportional to the line, so no pattern can hang a run. What RE2 cannot promise that for
 * (lookaround, backreferences) is refused when the config is checked, with the reason.
 *
 * Plain text, and alternatives of plain text (`ERROR|WARN`), skip the engine: `indexOf` finds
 * them (in any case: the browser's RegExp, which on plain alternatives cannot backtrack). A
 * regular expression with a piece of text every match must contain (`status=5\d\d`) runs only
 * on lines where `indexOf` finds that piece. The shortcuts give exactly the engine's answers
 * (the tests compare them on random text and on every character's case folding).
 */
import { RE2JS, RE2JSSyntaxException, type Matcher } from 're2js';
import type { Result } from '../types.ts';
import { compileSequence, UNSURE, type Sequence } from './sequence.ts';

export interface PatternOptions {
  ignoreCase?: boolean;
}

/** One match: where it is, and the text of each group (`[0]` the whole match; undefined: the group took no part). */
export interface PatternMatch {
  start: number;
  end: number;
  groups: readonly (string | undefined)[];
  /** Where each group starts and ends: `[start0, end0, start1, end1, ...]`, -1 for a group that took no part. */
  spans: readonly number[];
}

/**
 * How a pattern runs: `literal` and `literals` by indexOf, `line` (`(.*)` and kin) by finding
 * line ends, `sequence` by one greedy scan (see sequence.ts), `regex` on the engine.
 */
export type PatternStrategy = 'literal' | 'literals' | 'line' | 'sequence' | 'regex';

export interface Pattern {
  readonly source: string;
  readonly ignoreCase: boolean;
  readonly strategy: PatternStrategy;
  /** Text every match contains, checked with indexOf before the engine runs (regex only; '' when none). */
  readonly required: string;
  /** Capture groups, not counting the whole match. */
  readonly groupCount: number;
  /** Named groups `(?<name>...)`, name → group number, in the pattern's order. */
  readonly names: ReadonlyMap<string, number>;
  /** Whether the pattern is found anywhere in the text. */
  test(text: string): boolean;
  /** The leftmost match (the first alternative wins at the same place, as in JavaScript), or null. */
  exec(text: string): PatternMatch | null;
  /**
   * The text with every non-empty match, left to right and not overlapping, replaced by what
   * `replacement` returns for it; the same string when nothing matched.
   */
  replace(text: string, replacement: (match: PatternMatch) => string): string;
}

const WHY_LINEAR = 'patterns run on a linear-time engine so no pattern can hang';

/**
 * Compiles a user's pattern, or says in the user's words why it cannot run. Patterns are
 * JavaScript-style regular expressions as far as RE2 can run them: `\d`, classes, `(?<name>...)`,
 * `\u0041`, counted repetition up to 1000; no lookaround, no backreferences.
 */
export function compilePattern(source: string, options: PatternOptions = {}): Result<Pattern, string> {
  const ignoreCase = options.ignoreCase === true;
  const engine = compileEngine(source, ignoreCase);
  if (!engine.ok) return engine;
  const re = engine.value;
  const names = new Map(Object.entries(re.namedGroups()).sort((a, b) => a[1] - b[1]));
  const base = { source, ignoreCase, groupCount: re.groupCount(), names };
  const alternatives = literalAlternatives(source);
  const literal = alternatives === null || base.groupCount > 0 ? null : literalPattern(base, alternatives);
  if (literal !== null) return { ok: true, value: literal };
  const line = lineSpanPattern(base, source);
  if (line !== null) return { ok: true, value: line };
  const required = ignoreCase ? '' : requiredLiteral(source);
  const engineRun = regexPattern(base, required, re);
  const scan = ignoreCase ? null : compileSequence(source);
  if (scan !== null && scan.groupCount === base.groupCount) return { ok: true, value: sequencePattern(base, required, scan, engineRun) };
  return { ok: true, value: engineRun };
}

/** The reason a pattern cannot be used, or null when it can. */
export function patternProblem(source: string, options: PatternOptions = {}): string | null {
  const compiled = compilePattern(source, options);
  return compiled.ok ? null : compiled.error;
}

// ---------------------------------------------------------------------------------------------
// The engine

function compileEngine(source: string, ignoreCase: boolean): Result<RE2JS, string> {
  const flags = ignoreCase ? RE2JS.CASE_INSENSITIVE : 0;
  let first: unknown;
  try {
    return { ok: true, value: RE2JS.compile(source, flags) };
  } catch (error) {
    first = error;
  }
  const unsupported = unsupportedReason(first);
  if (unsupported !== null) return { ok: false, error: unsupported };
  // JavaScript spellings RE2 lacks (`\u0041`, `\cA`, `[^]`): translated, then tried again.
  try {
    return { ok: true, value: RE2JS.compile(RE2JS.translateRegExp(source), flags) };
  } catch {
    return { ok: false, error: `invalid regular expression: ${syntaxReason(first)}` };
  }
}

/** Lookaround and backreferences: valid JavaScript that no linear-time engine runs. */
function unsupportedReason(error: unknown): string | null {
  if (!(error instanceof RE2JSSyntaxException)) return null;
  const fragment = error.getPattern() ?? '';
  if (fragment.startsWith('(?=')) return `lookahead (?=...) is not supported: ${WHY_LINEAR}`;
  if (fragment.startsWith('(?!')) return `negative lookahead (?!...) is not supported: ${WHY_LINEAR}`;
  if (fragment.startsWith('(?<=')) return `lookbehind (?<=...) is not supported: ${WHY_LINEAR}`;
  if (fragment.startsWith('(?<!')) return `negative lookbehind (?<!...) is not supported: ${WHY_LINEAR}`;
  if (/^\\[1-9]/.test(fragment)) return `backreference ${fragment} is not supported: ${WHY_LINEAR}`;
  if (fragment.startsWith('\\k')) return `backreference \\k<name> is not supported: ${WHY_LINEAR}`;
  return null;
}

/** RE2's parse errors, said the way a user reads them. */
function syntaxReason(error: unknown): string {
  if (!(error instanceof RE2JSSyntaxException)) return error instanceof Error ? error.message : String(error);
  const what = error.getDescription();
  const at = error.getPattern() ?? '';
  switch (what) {
    case 'missing closing )':
      return 'unterminated group: a "(" has no closing ")"';
    case 'unexpected )':
      return 'unmatched ")": no "(" opens it';
    case 'missing closing ]':
      return `unterminated character class: "${at}" has no closing "]"`;
    case 'invalid repeat count':
      return `invalid repeat count ${at}: counts go from 0 to 1000, the smaller first`;
    case 'missing argument to repetition operator':
      return `nothing to repeat before "${at}"`;
    case 'invalid nested repetition operator':
      return `"${at}": a repetition cannot be repeated directly (possessive ++ and *+ are not supported); use a group: (a+)+`;
    case 'invalid escape sequence':
      return `unknown escape ${at}`;
    case 'invalid named capture':
      return `invalid group name in "${at}": a name is letters, digits and "_"`;
    case 'duplicate capture group name':
      return `the group name in "${at}" is used twice`;
    case 'invalid character class range':
      return `invalid range ${at} in a character class: the first character must come before the second`;
    case 'trailing backslash at end of expression':
      return 'the pattern ends with a "\\": write "\\\\" for a backslash';
    case 'expression too large':
    case 'expression nests too deeply':
      return 'the pattern is too large for the engine: make it shorter or less nested';
    default:
      return at === '' ? what : `${what}: ${at}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Strategies

type Base = Pick<Pattern, 'source' | 'ignoreCase' | 'groupCount' | 'names'>;

/** Lines a regex pattern looks at before it settles how to exec: DFA first, or captures at once. */
const EXEC_SAMPLE = 256;

function regexPattern(base: Base, required: string, re: RE2JS): Pattern {
  // One matcher per use, reset for each text: no allocation per line beyond the groups' texts.
  const execMatcher = re.matcher('');
  const replaceMatcher = re.matcher('');
  const matchOf = (m: Matcher): PatternMatch => {
    const groups: (string | undefined)[] = [];
    const spans: number[] = [];
    for (let g = 0; g <= base.groupCount; g++) {
      const text = m.group(g);
      groups.push(text ?? undefined);
      if (text === null) spans.push(-1, -1);
      else spans.push(m.start(g), m.end(g));
    }
    return { start: spans[0], end: spans[1], groups, spans };
  };
  // Finding groups costs several times what the DFA's yes or no does: while most lines do not
  // match, the DFA answers first and groups are found only on lines that match.
  let seen = 0;
  let matched = 0;
  return {
    ...base,
    strategy: 'regex',
    required,
    test: required === '' ? (text) => re.test(text) : (text) => text.includes(required) && re.test(text),
    exec(text) {
      if (required !== '' && !text.includes(required)) return null;
      if (seen < EXEC_SAMPLE) seen++;
      else if (matched * 2 < seen && !re.test(text)) return null;
      const m = execMatcher.resetMatcherInput(text);
      if (!m.find()) return null;
      if (matched < EXEC_SAMPLE) matched++;
      return matchOf(m);
    },
    replace(text, replacement) {
      if (required !== '' && !text.includes(required)) return text;
      const m = replaceMatcher.resetMatcherInput(text);
      let out = '';
      let last = 0;
      while (m.find()) {
        const start = m.start();
        const end = m.end();
        if (end === start) continue; // an empty match masks nothing
        out += text.slice(last, start) + replacement(matchOf(m));
        last = end;
      }
      return last === 0 ? text : out + text.slice(last);
    },
  };
}

/** Finds the leftmost of some literals at or after `from`: its start (-1: none), its length in `matched`. */
interface LiteralFinder {
  find(text: string, from: number): number;
  matched: number;
}

/** Case as written: indexOf of each, the earliest winning, ties to the earlier alternative (as in the engine). */
function exactFinder(literals: readonly string[]): LiteralFinder {
  const finder: LiteralFinder = {
    matched: 0,
    find(text, from) {
      let best = -1;
      for (let i = 0; i < literals.length; i++) {
        const at = text.indexOf(literals[i], from);
        if (at >= 0 && (best < 0 || at < best)) {
          best = at;
          finder.matched = literals[i].length;
        }
      }
      return best;
    },
  };
  return finder;
}

/**
 * Any case: the browser's RegExp with Unicode case folding (`iu`), which folds like RE2 (K with
 * the Kelvin sign, s with ſ) and, on alternatives of plain text, cannot backtrack more than the
 * length of the alternatives at each place. Several times faster than lowering every line.
 */
function foldingFinder(literals: readonly string[]): LiteralFinder {
  const source = literals.map((l) => l.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|');
  const search = new RegExp(source, 'giu');
  const finder: LiteralFinder = {
    matched: 0,
    find(text, from) {
      search.lastIndex = from;
      const m = search.exec(text);
      if (m === null) return -1;
      finder.matched = m[0].length;
      return m.index;
    },
  };
  return finder;
}

function literalPattern(base: Base, literals: readonly string[]): Pattern | null {
  if (literals.some((l) => /[\uD800-\uDFFF]/.test(l))) return null;
  // Folding is left to the engine beyond ASCII, where scripts disagree on it.
  if (base.ignoreCase && literals.some((l) => /[^\x00-\x7F]/.test(l))) return null;
  const finder = base.ignoreCase ? foldingFinder(literals) : exactFinder(literals);
  const single = literals.length === 1 ? literals[0] : null;
  const anyCase = base.ignoreCase ? new RegExp(literals.map((l) => l.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|'), 'iu') : null;
  const test =
    anyCase !== null ? (text: string) => anyCase.test(text) : single !== null ? (text: string) => text.includes(single) : (text: string) => finder.find(text, 0) >= 0;
  return {
    ...base,
    strategy: single !== null ? 'literal' : 'literals',
    required: '',
    test,
    exec(text) {
      const at = finder.find(text, 0);
      if (at < 0) return null;
      const end = at + finder.matched;
      return { start: at, end, groups: [text.slice(at, end)], spans: [at, end] };
    },
    replace(text, replacement) {
      let out = '';
      let last = 0;
      let from = 0;
      while (from <= text.length) {
        const at = finder.find(text, from);
        if (at < 0) break;
        const end = at + finder.matched;
        if (end === at) {
          from = at + 1;
          continue;
        }
        out += text.slice(last, at) + replacement({ start: at, end, groups: [text.slice(at, end)], spans: [at, end] });
        last = from = end;
      }
      return last === 0 ? text : out + text.slice(last);
    },
  };
}

/** A sequence scanned greedily, with the engine for the lines the scan leaves to it (see sequence.ts). */
function sequencePattern(base: Base, required: string, scan: Sequence, engine: Pattern): Pattern {
  const spans = new Int32Array(2 * (base.groupCount + 1));
  const matchOf = (text: string): PatternMatch => {
    const groups: string[] = [];
    for (let g = 0; g <= base.groupCount; g++) groups.push(text.slice(spans[2 * g], spans[2 * g + 1]));
    return { start: spans[0], end: spans[1], groups, spans: [...spans] };
  };
  return {
    ...base,
    strategy: 'sequence',
    required,
    test(text) {
      if (required !== '' && !text.includes(required)) return false;
      scan.start(text);
      const at = scan.search(text, 0, spans);
      return at === UNSURE ? engine.test(text) : at >= 0;
    },
    exec(text) {
      if (required !== '' && !text.includes(required)) return null;
      scan.start(text);
      const at = scan.search(text, 0, spans);
      if (at === UNSURE) return engine.exec(text);
      return at < 0 ? null : matchOf(text);
    },
    replace(text, replacement) {
      if (required !== '' && !text.includes(required)) return text;
      scan.start(text);
      // Every match is found before any is replaced: should the scan leave the text to the
      // engine halfway, `replacement` (which may count) has not been called yet.
      const matches: PatternMatch[] = [];
      let from = 0;
      while (from <= text.length) {
        const at = scan.search(text, from, spans);
        if (at === UNSURE) return engine.replace(text, replacement);
        if (at < 0) break;
        const end = spans[1];
        if (end === at) {
          from = at + 1;
          continue;
        }
        matches.push(matchOf(text));
        from = end;
      }
      if (matches.length === 0) return text;
      let out = '';
      let last = 0;
      for (const m of matches) {
        out += text.slice(last, m.start) + replacement(m);
        last = m.end;
      }
      return out + text.slice(last);
    },
  };
}

/** `(.*)`, `^(.+)$` and kin, read from the source: whether each is there. */
const LINE_SPAN = /^(\^?)(\(?)\.([*+])(\)?)(\$?)$/;

/**
 * A whole line (up to a line break, which `.` does not cross) with or without `^`, `$` and a
 * group: the usual way to count lines by their text. The engine would track its group through
 * every character, a second a megabyte; finding the line breaks gives the same answer at once.
 */
function lineSpanPattern(base: Base, source: string): Pattern | null {
  const parts = LINE_SPAN.exec(source);
  if (parts === null || (parts[2] === '(') !== (parts[4] === ')')) return null;
  const atStart = parts[1] === '^';
  const nonEmpty = parts[3] === '+';
  const atEnd = parts[5] === '$';
  const grouped = parts[2] === '(';
  let engine: Pattern | undefined;
  const span = (text: string): [number, number] | null => {
    let start: number;
    if (atEnd) start = text.lastIndexOf('\n') + 1;
    else if (!nonEmpty || atStart) start = 0;
    else {
      start = 0;
      while (start < text.length && text.charCodeAt(start) === 10) start++;
    }
    if (atStart && start !== 0) return null;
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    if (atEnd && end !== text.length) return null;
    return nonEmpty && end === start ? null : [start, end];
  };
  const matchAt = (text: string, [start, end]: [number, number]): PatternMatch => {
    const whole = text.slice(start, end);
    return grouped ? { start, end, groups: [whole, whole], spans: [start, end, start, end] } : { start, end, groups: [whole], spans: [start, end] };
  };
  return {
    ...base,
    strategy: 'line',
    required: '',
    test: (text) => span(text) !== null,
    exec(text) {
      const found = span(text);
      return found === null ? null : matchAt(text, found);
    },
    replace(text, replacement) {
      // Rare for such a pattern: the engine does it.
      engine ??= regexPattern(base, '', RE2JS.compile(source));
      return engine.replace(text, replacement);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading the source: plain text, alternatives of plain text, a required piece of text

/** Characters with a meaning in a pattern; anything else stands for itself. */
const META = new Set('\\^$.|?*+()[]{}');
/** `\` before one of these means the character itself. */
const ESCAPABLE = /^[!-/:-@[-`{-~]$/; // ASCII punctuation
/** Escapes of one letter after the backslash. */
const SHORT_ESCAPES = 'dDwWsSbBnrtfvAz';

/** The alternatives when the pattern is plain text separated by `|` (escapes of punctuation allowed); else null. */
export function literalAlternatives(source: string): string[] | null {
  const alternatives: string[] = [];
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '|') {
      alternatives.push(current);
      current = '';
    } else if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined || !ESCAPABLE.test(next)) return null;
      current += next;
      i++;
    } else if (META.has(c)) {
      return null;
    } else {
      current += c;
    }
  }
  alternatives.push(current);
  return alternatives;
}

/**
 * The longest piece of plain text that every match must contain, '' when there is none to be
 * sure of. Conservative: it reads only the top level of a pattern without `|`, skips groups and
 * classes, and drops a character that a quantifier follows.
 */
export function requiredLiteral(source: string): string {
  let best = '';
  let run = '';
  const endRun = () => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let atom: string | null = null; // the literal character this atom stands for, if it is one
    if (c === '|') return '';
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return '';
      // Punctuation stands for itself; one-letter classes and assertions match no fixed text;
      // longer escapes (\x41, \p{L}, \u0041, \Q...\E) are not worth reading.
      if (ESCAPABLE.test(next)) atom = next;
      else if (!SHORT_ESCAPES.includes(next)) return '';
      i += 2;
    } else if (c === '(') {
      if (source[i + 1] === '?' && /[a-zA-Z-]/.test(source[i + 2] ?? '') && source[i + 2] !== 'P') return ''; // inline flags: (?i)
      const end = skipGroup(source, i);
      if (end < 0) return '';
      i = end;
    } else if (c === '[') {
      const end = skipClass(source, i);
      if (end < 0) return '';
      i = end;
    } else if (c === '{' || c === '}' || c === ')' || c === ']') {
      return '';
    } else if (META.has(c)) {
      i++; // . ^ $ and quantifiers break the run (quantifiers are handled below)
      if (c === '*' || c === '+' || c === '?') continue;
    } else {
      const code = c.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdfff) return '';
      atom = c;
      i++;
    }
    const quantified = i < source.length && '*+?{'.includes(source[i]);
    if (atom !== null && !quantified) {
      run += atom;
      continue;
    }
    endRun();
    if (quantified && source[i] === '{') {
      const close = source.indexOf('}', i);
      if (close < 0) return '';
      i = close + 1;
    }
  }
  endRun();
  return best;
}

/** Index after the group opening at `start`, or -1 when it does not close. */
function skipGroup(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      if (source[i + 1] === 'Q') return -1;
      i += 2;
      continue;
    }
    if (c === '[') {
      i = skipClass(source, i);
      if (i < 0) return -1;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}

/** Index after the character class opening at `start`; -1 when unclear (`[]`, `[^]` read differently by engines). */
function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') return -1;
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') i += 2;
    else if (c === '[') return -1; // [[:alpha:]] and friends: not worth reading
    else if (c === ']') return i + 1;
    else i++;
  }
  return -1;
}

/** A pattern that validation has already accepted (a param of type `regex`); a refusal here is a bug, so it throws. */
export function validPattern(source: string, options: PatternOptions = {}): Pattern {
  const compiled = compilePattern(source, options);
  if (!compiled.ok) throw new Error(`pattern ${JSON.stringify(source)}: ${compiled.error}`);
  return compiled.value;
}
