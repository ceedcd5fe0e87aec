/**
 * Character scans shared by the parsers: `charCodeAt` only, no regular expressions and no
 * allocation, because they run several times on every line.
 */

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

export function d2(s: string, i: number): number {
  const a = s.charCodeAt(i);
  const b = s.charCodeAt(i + 1);
  return a >= 48 && a <= 57 && b >= 48 && b <= 57 ? (a - 48) * 10 + (b - 48) : -1;
}

export function d4(s: string, i: number): number {
  const hi = d2(s, i);
  const lo = d2(s, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** Index just past the run of digits starting at i (i itself when there is none). */
export function digitsEnd(s: string, i: number): number {
  while (isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** Index of the first non-blank at or after i. */
export function skipSpaces(s: string, i: number): number {
  while (isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Index just past the last non-whitespace character (for a message trimmed at its end). */
export function trimmedEnd(s: string): number {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) <= 32) end--;
  return end;
}

/** Index of the first whitespace or control character at or after i (or the end). */
export function tokenEnd(s: string, i: number): number {
  const n = s.length;
  while (i < n && s.charCodeAt(i) > 32) i++;
  return i;
}

/** Index just past the run of ASCII letters at i. */
export function letterEnd(s: string, i: number): number {
  for (;;) {
    const c = s.charCodeAt(i) | 32;
    if (c < 97 || c > 122) return i;
    i++;
  }
}

/** Whether s[from..to) holds a line break: a header field never spans the lines of a joined entry. */
function hasNewline(s: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (s.charCodeAt(k) === 10) return true;
  return false;
}

/** For `[` at i: the first `]` followed by a blank or the end (Loghub's `\[<X>\]\s+`), or -1. */
export function closingBracket(s: string, i: number): number {
  for (let j = s.indexOf(']', i + 1); j >= 0; j = s.indexOf(']', j + 1)) {
    const next = s.charCodeAt(j + 1);
    if (next !== next || next <= 32) return hasNewline(s, i, j) ? -1 : j;
  }
  return -1;
}

/** The first `:` followed by a blank or the end, at or after i (Loghub's `<Component>:\s+`), or -1. */
export function componentColon(s: string, i: number): number {
  for (let j = s.indexOf(':', i); j >= 0; j = s.indexOf(':', j + 1)) {
    const next = s.charCodeAt(j + 1);
    if (next !== next || next <= 32) return hasNewline(s, i, j) ? -1 : j;
  }
  return -1;
}

