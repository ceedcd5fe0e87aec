import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { compilePattern, literalAlternatives, requiredLiteral, type Pattern, type PatternMatch } from '../../../src/engine/text/pattern.ts';

function compiled(source: string, ignoreCase = false): Pattern {
  const result = compilePattern(source, { ignoreCase });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function refusal(source: string): string {
  const result = compilePattern(source);
  if (result.ok) throw new Error(`expected ${source} to be refused`);
  return result.error;
}

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  const text = (alphabet: readonly string[], max: number) => Array.from({ length: int(max + 1) }, () => pick(alphabet)).join('');
  return { int, pick, text };
}

/** What the engine alone answers, with no shortcut: the reference the shortcuts must equal. */
function engine(source: string, ignoreCase: boolean) {
  const re = RE2JS.compile(source, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  const groups = re.groupCount();
  const matchOf = (m: ReturnType<RE2JS['matcher']>): PatternMatch => ({
    start: m.start(),
    end: m.end(),
    groups: Array.from({ length: groups + 1 }, (_, g) => m.group(g) ?? undefined),
    spans: Array.from({ length: groups + 1 }, (_, g) => (m.group(g) === null ? [-1, -1] : [m.start(g), m.end(g)])).flat(),
  });
  return {
    test: (text: string) => re.test(text),
    exec: (text: string) => {
      const m = re.matcher(text);
      return m.find() ? matchOf(m) : null;
    },
    replace: (text: string) => {
      const m = re.matcher(text);
      let out = '';
      let last = 0;
      while (m.find()) {
        if (m.end() === m.start()) continue;
        out += `${text.slice(last, m.start())}<${m.group(0)}>`;
        last = m.end();
      }
      return out + text.slice(last);
    },
  };
}

function expectSameAsEngine(source: string, ignoreCase: boolean, texts: readonly string[]): void {
  const pattern = compiled(source, ignoreCase);
  const reference = engine(source, ignoreCase);
  for (const text of texts) {
    const where = `${JSON.stringify(source)}${ignoreCase ? ' (ignore case)' : ''} on ${JSON.stringify(text)}`;
    expect(pattern.test(text), where).toBe(reference.test(text));
    expect(pattern.exec(text), where).toEqual(reference.exec(text));
    expect(pattern.replace(text, (m) => `<${m.groups[0]}>`), where).toBe(reference.replace(text));
  }
}

describe('compilePattern', () => {
  it('refuses lookaround and backreferences with the reason, before any line is read', () => {
    const why = 'is not supported: patterns run on a linear-time engine so no pattern can hang';
    expect(refusal('error(?=: disk)')).toBe(`lookahead (?=...) ${why}`);
    expect(refusal('error(?!: disk)')).toBe(`negative lookahead (?!...) ${why}`);
    expect(refusal('(?<=user=)\\w+')).toBe(`lookbehind (?<=...) ${why}`);
    expect(refusal('(?<!x)y')).toBe(`negative lookbehind (?<!...) ${why}`);
    expect(refusal('(\\w+) \\1')).toBe(`backreference \\1 ${why}`);
    expect(refusal('(?<word>\\w+) \\k<word>')).toBe(`backreference \\k<name> ${why}`);
  });

  it('says what is wrong with a pattern that does not parse', () => {
    expect(refusal('(unclosed')).toBe('invalid regular expression: unterminated group: a "(" has no closing ")"');
    expect(refusal('a)')).toBe('invalid regular expression: unmatched ")": no "(" opens it');
    expect(refusal('[abc')).toMatch(/^invalid regular expression: unterminated character class/);
    expect(refusal('a{3,2}')).toMatch(/^invalid regular expression: invalid repeat count \{3,2\}/);
    expect(refusal('*a')).toBe('invalid regular expression: nothing to repeat before "*"');
    expect(refusal('a++')).toMatch(/possessive/);
    expect(refusal('[z-a]')).toMatch(/invalid range z-a/);
    expect(refusal('ab\\')).toMatch(/ends with a "\\"/);
  });

  it('reads named groups (?<name>...) and numbers every group', () => {
    const pattern = compiled('(?<date>\\d{4}-\\d\\d-\\d\\d) (\\w+) (?<user>\\w+)?');
    expect([...pattern.names]).toEqual([
      ['date', 1],
      ['user', 3],
    ]);
    expect(pattern.groupCount).toBe(3);
    expect(pattern.exec('at 2024-05-01 login alice')).toEqual({
      start: 3,
      end: 25,
      groups: ['2024-05-01 login alice', '2024-05-01', 'login', 'alice'],
      spans: [3, 25, 3, 13, 14, 19, 20, 25],
    });
    // A group that took no part is undefined, as in JavaScript.
    expect(pattern.exec('2024-05-01 login ')?.groups).toEqual(['2024-05-01 login ', '2024-05-01', 'login', undefined]);
  });

  it('takes JavaScript spellings the engine lacks', () => {
    expect(compiled('\\u0041\\cJ').test('xA\ny')).toBe(true);
    expect(compiled('a[^]b').test('a\nb')).toBe(true);
    expect(compiled('\\/api\\/v1').test('GET /api/v1')).toBe(true);
  });

  it('matches a catastrophically backtracking pattern in linear time, with the right answer', () => {
    const pattern = compiled('(a+)+$');
    const bad = `${'a'.repeat(100_000)}!`;
    expect(pattern.test(bad)).toBe(false);
    expect(pattern.exec(bad)).toBeNull();
    expect(pattern.test('a'.repeat(100_000))).toBe(true);
    expect(compiled('(x+x+)+y').test('x'.repeat(50_000))).toBe(false);
  });

  it('uses indexOf for plain text and alternatives of plain text, a scan for sequences, the engine otherwise', () => {
    expect(compiled('important').strategy).toBe('literal');
    expect(compiled('ERROR|WARN').strategy).toBe('literals');
    expect(compiled('ERROR|WARN', true).strategy).toBe('literals');
    expect(compiled('GET \\/index\\.html').strategy).toBe('literal');
    const scanned = compiled('status=(5\\d\\d)');
    expect(scanned.strategy).toBe('sequence');
    expect(scanned.required).toBe('status=');
    const regex = compiled('(?:GET|POST) (\\S+)');
    expect(regex.strategy).toBe('regex');
    expect(compiled('Ärger', true).strategy).toBe('regex'); // non-ASCII folding is left to the engine
    expect(compiled('(.*)').strategy).toBe('line');
    expect(compiled('(.*)').exec(`${'é'.repeat(500_000)}\nrest`)?.groups[1]).toHaveLength(500_000);
  });
});

describe('literalAlternatives and requiredLiteral', () => {
  it('reads plain text, escaped punctuation and | only', () => {
    expect(literalAlternatives('a\\.b|c d')).toEqual(['a.b', 'c d']);
    expect(literalAlternatives('a|')).toEqual(['a', '']);
    expect(literalAlternatives('a.b')).toBeNull();
    expect(literalAlternatives('\\d')).toBeNull();
    expect(literalAlternatives('(a)')).toBeNull();
  });

  it('finds the longest text every match contains, and none when unsure', () => {
    expect(requiredLiteral('status=(\\d+) took (\\d+)ms')).toBe('status=');
    expect(requiredLiteral('\\d+ms elapsed')).toBe('ms elapsed');
    expect(requiredLiteral('ab*cdef')).toBe('cdef');
    expect(requiredLiteral('abc{2}def')).toBe('def');
    expect(requiredLiteral('a|bcd')).toBe('');
    expect(requiredLiteral('(?i)error')).toBe('');
    expect(requiredLiteral('x[ab]yz\\.w')).toBe('yz.w');
    expect(requiredLiteral('\\x41BC')).toBe('');
    expect(requiredLiteral('a(?:b|c)dd')).toBe('dd');
  });
});

describe('the shortcuts give the engine’s answers', () => {
  // Letters whose case folding differs between RE2 and toLowerCase (K: Kelvin sign, ſ: long s, İ: dotted I).
  const alphabet = ['a', 'A', 'b', 'B', 'k', 'K', 's', 'S', 'i', 'I', '\u212A', '\u017F', '\u0130', ' ', '.', '|', 'é', '😀'];

  it('for plain text and alternatives, with and without case', () => {
    const rnd = random(12345);
    const words = ['a', 'ab', 'ba', 'k', 'sk', 'is', 'ss', 'aa', '.', 'b.a', 'é'];
    for (let round = 0; round < 300; round++) {
      const alternatives = Array.from({ length: 1 + rnd.int(3) }, () => rnd.pick(words));
      const source = alternatives.map((w) => w.replace('.', '\\.')).join('|');
      const texts = Array.from({ length: 20 }, () => rnd.text(alphabet, 12));
      expectSameAsEngine(source, round % 2 === 1, texts);
    }
  }, 60_000);

  it('for regular expressions with a required piece of text', () => {
    const rnd = random(777);
    const atoms = ['a', 'b', 'ab', '\\.', '.', '[ab]', '(a|b)', '(?:ba)', '\\d', 'a*', 'b+', 'a?', 'x{2}', '^', '$', '\\b'];
    for (let round = 0; round < 400; round++) {
      const source = Array.from({ length: 1 + rnd.int(5) }, () => rnd.pick(atoms)).join('');
      const texts = Array.from({ length: 20 }, () => rnd.text(['a', 'b', 'x', '.', '1', ' ', 'ab', 'ba'], 10));
      expectSameAsEngine(source, false, texts);
    }
  }, 60_000);

  it('for sequences scanned greedily (classes, quantifiers, groups, anchors)', () => {
    const rnd = random(2024);
    const atoms = ['a', 'b', ' ', '=', '\\d', '\\w', '\\s', '\\S', '.', '[ab]', '[^a ]', '[a-c]', '\\.', '\\t'];
    const quantifiers = ['', '', '+', '*', '?', '{2}', '{1,3}', '{2,}'];
    let scanned = 0;
    for (let round = 0; round < 1500; round++) {
      let source = rnd.int(4) === 0 ? '^' : '';
      let depth = 0;
      let group = 0;
      for (let k = 0; k < 1 + rnd.int(5); k++) {
        const roll = rnd.int(8);
        if (roll === 0) {
          source += rnd.pick(['(', '(?:', `(?<g${++group}>`]);
          depth++;
        } else if (roll === 1 && depth > 0) {
          source += ')';
          depth--;
        } else source += rnd.pick(atoms) + rnd.pick(quantifiers);
      }
      source += ')'.repeat(depth) + (rnd.int(4) === 0 ? '$' : '');
      if (compiled(source).strategy === 'sequence') scanned++;
      const texts = Array.from({ length: 12 }, () => rnd.text(['a', 'b', 'c', ' ', '=', '1', '.', '\t', '\n', 'é', '😀', '\uDC00'], 9));
      expectSameAsEngine(source, false, texts);
    }
    expect(scanned).toBeGreaterThan(300);
  }, 60_000);

  it('scans the usual extraction patterns, and leaves the others to the engine', () => {
    expect(compiled('took (\\d+)ms').strategy).toBe('sequence');
    expect(compiled('(?<ip>\\S+) \\S+ \\S+ \\[(?<time>[^\\]]+)\\] "(?<method>[A-Z]+) (?<path>\\S+)').strategy).toBe('sequence');
    expect(compiled('\\d+\\d').strategy).toBe('regex'); // the repeat could give back a digit
    expect(compiled('(ab)+').strategy).toBe('regex');
    expect(compiled('a|b\\d').strategy).toBe('regex');
    expect(compiled('\\bword\\d').strategy).toBe('regex');
    // A line that would cost the scan more than a few passes goes to the engine, with the same answer.
    const costly = compiled('.x\\d+y');
    expect(costly.strategy).toBe('sequence');
    expect(costly.test(`x${'1'.repeat(200_000)}`)).toBe(false);
    expect(costly.exec(`ax${'1'.repeat(100_000)}y`)?.end).toBe(100_003);
  });

  it('for whole-line patterns such as (.*) and ^(.+)$', () => {
    const rnd = random(99);
    const sources = ['.*', '.+', '(.*)', '(.+)', '^(.*)', '^(.+)', '(.*)$', '(.+)$', '^(.*)$', '^(.+)$', '^.*$', '.+$'];
    for (const source of sources) {
      expect(compiled(source).strategy, source).toBe('line');
      const texts = ['', '\n', '\n\n', ...Array.from({ length: 200 }, () => rnd.text(['a', '\n', '\r', ' ', '😀', '\uD800'], 8))];
      expectSameAsEngine(source, false, texts);
    }
  }, 60_000);

  it('folds case exactly like the engine for every ASCII letter against every BMP character', () => {
    const lines: string[] = [];
    let line = '';
    for (let c = 0; c < 0x10000; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      line += String.fromCharCode(c);
      if (line.length === 64) {
        lines.push(line);
        line = '';
      }
    }
    lines.push(line);
    for (let c = 0x41; c <= 0x5a; c++) {
      for (const letter of [String.fromCharCode(c), String.fromCharCode(c + 32)]) {
        const fast = compiled(letter, true);
        const reference = engine(letter, true);
        for (const text of lines) expect(fast.replace(text, (m) => `<${m.groups[0]}>`), letter).toBe(reference.replace(text));
      }
    }
  }, 60_000);
});
