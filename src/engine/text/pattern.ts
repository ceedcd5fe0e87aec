/**
 * Every pattern a user writes (filter, router, counter, extract, redact, ...) compiles here, onto
 * a linear-time engine: re2js, a port of RE2. Whatever the pattern and the line, matching takes
 * time proportional to the line, so no pattern can hang a run. What RE2 cannot promise that for
 * (lookaround, backreferences) is refused when the config is checked, with the reason.
 *
 * Plain text, and alternatives of plain text (`ERROR|WARN`), skip the engine: `indexOf` finds
 * them. A regular expression that contains a piece of text every match must contain
 * (`status=5\d\d`) is only run on lines where `indexOf` finds that piece. Both shortcuts give
 * exactly the engine's answers (the tests compare them on random text).
 */
import { RE2JS, RE2JSSyntaxException, type Matcher } from 're2js';
import type { Result } from '../types.ts';

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

/** How a pattern runs: `literal` and `literals` by indexOf, `regex` on the engine. */
export type PatternStrategy = 'literal' | 'literals' | 'regex';

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
  if (alternatives !== null && base.groupCount === 0) {
    const searcher = literalSearcher(alternatives, ignoreCase);
    if (searcher !== null) return { ok: true, value: literalPattern(base, alternatives.length === 1 ? 'literal' : 'literals', searcher, re) };
  }
  const required = ignoreCase ? '' : requiredLiteral(source);
  return { ok: true, value: regexPattern(base, required, re) };
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
  return {
    ...base,
    strategy: 'regex',
    required,
    test: required === '' ? (text) => re.test(text) : (text) => text.indexOf(required) >= 0 && re.test(text),
    exec(text) {
      if (required !== '' && text.indexOf(required) < 0) return null;
      const m = execMatcher.resetMatcherInput(text);
      return m.find() ? matchOf(m) : null;
    },
    replace(text, replacement) {
      if (required !== '' && text.indexOf(required) < 0) return text;
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

/**
 * Finds the leftmost of some literals; -2 asks the caller to use the engine instead (a text
 * whose case folding indexOf cannot follow).
 */
interface LiteralSearcher {
  /** Start of the leftmost match at or after `from`, -1 for none, -2 for "ask the engine"; sets `matched` to its length. */
  find(text: string, from: number): number;
  matched: number;
}

const LONG_S = '\u017F'; // ſ: RE2 folds it with s and S, toLowerCase does not

function literalSearcher(literals: readonly string[], ignoreCase: boolean): LiteralSearcher | null {
  if (literals.some((l) => /[\uD800-\uDFFF]/.test(l))) return null;
  if (!ignoreCase) return leftmost(literals, (text) => text);
  // Lowering the text keeps positions and matches RE2's folding for ASCII, except for two
  // letters: İ (lowers to two characters) and ſ (folds to s). Lines with those go to the engine.
  if (literals.some((l) => /[^\x00-\x7F]/.test(l))) return null;
  const lowered = literals.map((l) => l.toLowerCase());
  const watchLongS = lowered.some((l) => l.includes('s'));
  let cachedText: string | null = null;
  let cachedLower = '';
  return leftmost(lowered, (text) => {
    if (text !== cachedText) {
      cachedText = text;
      cachedLower = text.toLowerCase();
    }
    if (cachedLower.length !== text.length || (watchLongS && text.includes(LONG_S))) return null;
    return cachedLower;
  });
}

/** Leftmost-first over literals in `view(text)` (null: the view cannot answer for this text). */
function leftmost(literals: readonly string[], view: (text: string) => string | null): LiteralSearcher {
  const searcher: LiteralSearcher = {
    matched: 0,
    find(text, from) {
      const haystack = view(text);
      if (haystack === null) return -2;
      let best = -1;
      for (let i = 0; i < literals.length; i++) {
        const at = haystack.indexOf(literals[i], from);
        // Ties go to the earlier alternative, as in the engine.
        if (at >= 0 && (best < 0 || at < best)) {
          best = at;
          searcher.matched = literals[i].length;
        }
      }
      return best;
    },
  };
  return searcher;
}

function literalPattern(base: Base, strategy: PatternStrategy, searcher: LiteralSearcher, re: RE2JS): Pattern {
  const fallback = regexPattern(base, '', re);
  return {
    ...base,
    strategy,
    required: '',
    test(text) {
      const at = searcher.find(text, 0);
      return at === -2 ? fallback.test(text) : at >= 0;
    },
    exec(text) {
      const at = searcher.find(text, 0);
      if (at === -2) return fallback.exec(text);
      if (at < 0) return null;
      const end = at + searcher.matched;
      return { start: at, end, groups: [text.slice(at, end)], spans: [at, end] };
    },
    replace(text, replacement) {
      let out = '';
      let last = 0;
      let from = 0;
      while (from <= text.length) {
        const at = searcher.find(text, from);
        if (at === -2) return fallback.replace(text, replacement);
        if (at < 0) break;
        const end = at + searcher.matched;
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
