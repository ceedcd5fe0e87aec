/**
 * A matcher for the patterns users write most (`took (\d+)ms`, `(?<ip>\S+) \S+ \[(?<time>[^\]]+)\]`):
 * a sequence of characters and classes with quantifiers, in groups, where what a quantifier
 * repeats can never be what comes after it. Greedy scanning is then the only way to match (no
 * backtracking), and it gives RE2's answers at the speed of a loop over the line.
 *
 * Anything else (alternation, quantified groups, `\b`, case folding, characters outside ASCII
 * in classes) is not read: compileSequence returns null and the engine runs the pattern. A line
 * that costs more than a few passes over it, or holds a surrogate pair, is handed to the engine
 * too (UNSURE), so a line's cost stays linear whatever the pattern.
 */

/** Which characters a step takes: an ASCII table and one answer for every character beyond. */
interface CharSet {
  ascii: Uint8Array;
  beyond: boolean;
}

type Step = { kind: 'chars'; set: CharSet; min: number; max: number } | { kind: 'open'; group: number } | { kind: 'close'; group: number };

export interface Sequence {
  groupCount: number;
  /** Gives a text its budget: a few passes over it, for all the searches in it that follow. */
  start(text: string): void;
  /** Start of the leftmost match at or after `from`: -1 for none, UNSURE to ask the engine. `spans` gets the groups' bounds. */
  search(text: string, from: number, spans: Int32Array): number;
}

export const UNSURE = -2;

const set = (test: (c: number) => boolean, beyond: boolean): CharSet => {
  const ascii = new Uint8Array(128);
  for (let c = 0; c < 128; c++) ascii[c] = test(c) ? 1 : 0;
  return { ascii, beyond };
};
const isDigit = (c: number) => c >= 48 && c <= 57;
const isWord = (c: number) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13 && c !== 11); // RE2's \s: \t \n \f \r and blank
const CLASSES: Record<string, CharSet> = {
  d: set(isDigit, false),
  D: set((c) => !isDigit(c), true),
  w: set(isWord, false),
  W: set((c) => !isWord(c), true),
  s: set(isSpace, false),
  S: set((c) => !isSpace(c), true),
};
const DOT = set((c) => c !== 10, true);
const LITERAL_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, f: 12, v: 11 };
const PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const MAX_REPEAT = 1000;

const single = (c: number): CharSet => set((x) => x === c, false);
const disjoint = (a: CharSet, b: CharSet) => !(a.beyond && b.beyond) && a.ascii.every((x, i) => !(x && b.ascii[i]));
const union = (a: CharSet, b: CharSet): CharSet => ({ ascii: a.ascii.map((x, i) => x | b.ascii[i]), beyond: a.beyond || b.beyond });

/** Reads the pattern into steps, or null when it is not such a sequence. */
export function compileSequence(source: string): Sequence | null {
  let i = 0;
  const anchoredStart = source.startsWith('^');
  if (anchoredStart) i++;
  let end = source.length;
  const anchoredEnd = end > i && source[end - 1] === '$' && source[end - 2] !== '\\';
  if (anchoredEnd) end--;
  const steps: Step[] = [];
  const open: number[] = [];
  let groups = 0;

  /** One character, an escape or a class at i: its set, or null when not read. */
  const atom = (): CharSet | null => {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      i += 2;
      if (next === undefined) return null;
      if (CLASSES[next]) return CLASSES[next];
      if (LITERAL_ESCAPES[next] !== undefined) return single(LITERAL_ESCAPES[next]);
      return PUNCTUATION.test(next) ? single(next.charCodeAt(0)) : null;
    }
    if (c === '.') {
      i++;
      return DOT;
    }
    if (c === '[') return bracket();
    if ('()|*+?{}^$]'.includes(c)) return null;
    const code = c.charCodeAt(0);
    i++;
    return code < 128 ? single(code) : null;
  };

  const bracket = (): CharSet | null => {
    i++;
    const negated = source[i] === '^';
    if (negated) i++;
    const table = new Uint8Array(128);
    let first = true;
    while (i < end && (source[i] !== ']' || first)) {
      first = false;
      let from: number;
      if (source[i] === '\\') {
        const next = source[i + 1];
        i += 2;
        if (next === undefined) return null;
        const cls = CLASSES[next];
        if (cls !== undefined) {
          if (cls.beyond) return null; // \D \S \W inside brackets: left to the engine
          cls.ascii.forEach((x, k) => (table[k] |= x));
          continue;
        }
        if (LITERAL_ESCAPES[next] !== undefined) from = LITERAL_ESCAPES[next];
        else if (PUNCTUATION.test(next)) from = next.charCodeAt(0);
        else return null;
      } else {
        if (source[i] === '[' || source[i] === ']') return null; // [[:alpha:]], a leading ]: not read
        from = source.charCodeAt(i++);
      }
      let to = from;
      if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < end) {
        const next = source[i + 1];
        if (next === '\\' || next === '[') return null;
        to = source.charCodeAt(i + 1);
        i += 2;
      }
      if (from >= 128 || to >= 128 || to < from) return null;
      for (let k = from; k <= to; k++) table[k] = 1;
    }
    if (source[i] !== ']') return null;
    i++;
    return negated ? { ascii: table.map((x) => 1 - x), beyond: true } : { ascii: table, beyond: false };
  };

  /** A quantifier at i: [min, max], [1, 1] when there is none, null when not read (lazy, possessive). */
  const quantifier = (): [number, number] | null => {
    const c = source[i];
    let range: [number, number];
    if (c === '*') range = [0, Infinity];
    else if (c === '+') range = [1, Infinity];
    else if (c === '?') range = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(source.slice(i, i + 12));
      if (m === null) return null;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || max < min || (max !== Infinity && max > MAX_REPEAT)) return null;
      i += m[0].length - 1;
      range = [min, max];
    } else return [1, 1];
    i++;
    return '?+*{'.includes(source[i] ?? '') && i < end ? null : range;
  };

  while (i < end) {
    const c = source[i];
    if (c === '(') {
      if (source.startsWith('(?:', i)) i += 3;
      else if (source.startsWith('(?<', i) || source.startsWith('(?P<', i)) {
        const close = source.indexOf('>', i);
        if (close < 0 || !/^\(\?P?<\w+>$/.test(source.slice(i, close + 1))) return null;
        i = close + 1;
        steps.push({ kind: 'open', group: ++groups });
        open.push(groups);
        continue;
      } else if (source[i + 1] === '?') return null;
      else {
        i++;
        steps.push({ kind: 'open', group: ++groups });
        open.push(groups);
        continue;
      }
      open.push(0); // non-capturing
      continue;
    }
    if (c === ')') {
      const group = open.pop();
      if (group === undefined) return null;
      i++;
      if (i < end && '?+*{'.includes(source[i])) return null; // a quantified group
      if (group > 0) steps.push({ kind: 'close', group });
      continue;
    }
    const chars = atom();
    if (chars === null) return null;
    const range = quantifier();
    if (range === null) return null;
    steps.push({ kind: 'chars', set: chars, min: range[0], max: range[1] });
  }
  if (open.length > 0) return null;
  if (!deterministic(steps)) return null;
  return sequence(steps, groups, anchoredStart, anchoredEnd);
}

/** Whether each variable step is followed only by characters it cannot take: greedy is then the one way. */
function deterministic(steps: readonly Step[]): boolean {
  for (let k = 0; k < steps.length; k++) {
    const step = steps[k];
    if (step.kind !== 'chars' || step.min === step.max) continue;
    let follow: CharSet = { ascii: new Uint8Array(128), beyond: false };
    for (let j = k + 1; j < steps.length; j++) {
      const next = steps[j];
      if (next.kind !== 'chars') continue;
      follow = union(follow, next.set);
      if (next.min > 0) break;
    }
    if (!disjoint(step.set, follow)) return false;
  }
  return true;
}

function sequence(steps: readonly Step[], groupCount: number, anchoredStart: boolean, anchoredEnd: boolean): Sequence {
  // The plain text a match starts with, to jump from one place it occurs to the next.
  let prefix = '';
  for (const step of steps) {
    if (step.kind !== 'chars') continue;
    const members = step.set.beyond ? [] : [...step.set.ascii.keys()].filter((c) => step.set.ascii[c]);
    if (members.length !== 1 || step.min !== step.max || step.min > 64) break;
    prefix += String.fromCharCode(members[0]).repeat(step.min);
  }
  const first = steps.find((s) => s.kind === 'chars');
  // A first step that repeats without bound and failed after running to j fails the same from
  // anywhere up to j: the next try starts past it.
  const skipRun = first !== undefined && first.kind === 'chars' && first.max === Infinity && prefix === '';

  const firstChars = steps.findIndex((s) => s.kind === 'chars');
  let budget = 0;
  let runEnd = 0;
  /** The match at `start`: its end, -1 for none, UNSURE when the engine must decide. */
  const attempt = (text: string, start: number, spans: Int32Array): number => {
    let i = start;
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k];
      if (step.kind === 'open') spans[2 * step.group] = i;
      else if (step.kind === 'close') spans[2 * step.group + 1] = i;
      else {
        const { ascii, beyond } = step.set;
        const from = i;
        while (i - from < step.max && i < text.length) {
          const c = text.charCodeAt(i);
          if (c < 128) {
            if (ascii[c] === 0) break;
          } else if (c >= 0xd800 && c <= 0xdfff) {
            // The engine reads a pair as one character: counting it is the engine's to do.
            if (beyond) return UNSURE;
            break;
          } else if (!beyond) break;
          i++;
        }
        budget -= i - from + 1;
        if (k === firstChars) runEnd = i;
        if (i - from < step.min) return -1;
      }
    }
    if (anchoredEnd && i !== text.length) return -1;
    return i;
  };

  return {
    groupCount,
    start(text) {
      budget = 4 * text.length + 256;
    },
    search(text, from, spans) {
      let start = from;
      const last = anchoredStart ? 0 : text.length;
      while (start <= last) {
        if (prefix !== '') {
          start = text.indexOf(prefix, start);
          if (start < 0 || start > last) return -1;
        }
        const end = attempt(text, start, spans);
        if (end === UNSURE || budget < 0) return UNSURE;
        if (end >= 0) {
          spans[0] = start;
          spans[1] = end;
          return start;
        }
        start = skipRun && runEnd > start ? runEnd + 1 : start + 1;
      }
      return -1;
    },
  };
}
