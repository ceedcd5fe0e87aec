import { validPattern, type PatternMatch } from '../text/pattern.ts';
import { defineProcessor } from './define.ts';

/** The kinds of secrets redact knows, in the order they are masked (after the user's own patterns). */
export const REDACT_KINDS = ['token', 'email', 'card', 'ipv6', 'ipv4'] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];

/** Masks the matches of one detector in a text; counts what it masked. */
type Masker = (text: string) => string;

interface Detector {
  /** Regular expressions (linear-time engine); a group named `secret` is masked alone, the rest of the match kept. */
  patterns: readonly string[];
  ignoreCase?: boolean;
  /** A match that is not a secret after all (a card number failing the Luhn check) is left as it is. */
  accept?: (match: string) => boolean;
  /** Text every match contains: lines without it are skipped at once. */
  hint?: string;
}

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
/** The IPv4 tail of an IPv6 address, checked on a short piece of text already cut out (no search). */
const IPV4_WHOLE = new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`);

const DETECTORS: Record<Exclude<RedactKind, 'ipv6'>, Detector> = {
  token: {
    patterns: [
      // JSON Web Tokens: base64url of {"... twice, then a signature.
      '\\beyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*',
      // Keys with a known shape: AWS, GitHub, Slack, Stripe, Google.
      '\\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,255}|xox[abposr]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35})\\b',
    ],
  },
  email: { patterns: ['[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}'], hint: '@' },
  card: { patterns: ['\\b(?:\\d[ -]?){12,18}\\d\\b'], accept: isCardNumber },
  ipv4: { patterns: [`\\b(?:${OCTET}\\.){3}${OCTET}\\b`], hint: '.' },
};

/** Credentials after their name: `Authorization: Bearer x`, `password=x`, `"api_key": "x"` (the name is kept). */
const LABELLED_SECRETS: Detector = {
  patterns: [
    '\\b(?:bearer|basic)\\s+(?<secret>[A-Za-z0-9._~+/-]+=*)',
    '\\b(?:password|passwd|pwd|secret(?:[_-]?key)?|token|api[_-]?key|access[_-]?key|auth[_-]?token|client[_-]?secret|private[_-]?key)["\']?\\s*[=:]\\s*["\']?(?<secret>[^\\s"\'&,;]+)',
  ],
  ignoreCase: true,
};

/** 13 to 19 digits from an issuer's range (3 to 6) whose Luhn checksum holds; blanks and dashes between digits allowed. */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, '');
  const first = digits.charCodeAt(0) - 48;
  if (digits.length < 13 || digits.length > 19 || first < 3 || first > 6) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isWord = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const inAddress = (c: number) => isHex(c) || c === 58 /* : */ || c === 46; /* . */

/** Whether the text is an IPv6 address: 8 groups of 1–4 hex digits, or fewer with one `::`, an IPv4 tail allowed. */
export function isIPv6(text: string): boolean {
  if (!/[0-9A-Fa-f]/.test(text)) return false;
  const halves = text.split('::');
  if (halves.length > 2) return false;
  let groups = 0;
  for (let h = 0; h < halves.length; h++) {
    if (halves[h] === '') continue;
    const parts = halves[h].split(':');
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      const lastOfAll = h === halves.length - 1 && p === parts.length - 1;
      if (lastOfAll && part.includes('.')) {
        if (!IPV4_WHOLE.test(part)) return false;
        groups += 2;
      } else if (!/^[0-9A-Fa-f]{1,4}$/.test(part)) return false;
      else groups++;
    }
  }
  return halves.length === 2 ? groups <= 7 : groups === 8;
}

/**
 * IPv6 by a scan rather than an expression: with `::` an address has many spellings, and a
 * leftmost-first alternation would mask only part of some. Runs of hex digits, `:` and `.`
 * standing apart from words are tried as addresses, a trailing `.` or `:` (end of a sentence,
 * `addr:port` separators) left out.
 */
function maskIPv6(text: string, mask: () => string): string {
  let out = '';
  let last = 0;
  let from = text.indexOf(':');
  while (from >= 0) {
    let start = from;
    while (start > 0 && inAddress(text.charCodeAt(start - 1))) start--;
    let end = from;
    while (end < text.length && inAddress(text.charCodeAt(end))) end++;
    const next = end;
    if ((start === 0 || !isWord(text.charCodeAt(start - 1))) && (end === text.length || !isWord(text.charCodeAt(end)))) {
      while (end > start && text.charCodeAt(end - 1) === 46) end--;
      if (end - start > 1 && text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) !== 58) end--;
      if (start >= last && isIPv6(text.slice(start, end))) {
        out += text.slice(last, start) + mask();
        last = end;
      }
    }
    from = text.indexOf(':', next);
  }
  return last === 0 ? text : out + text.slice(last);
}

export const redact = defineProcessor({
  descriptor: {
    type: 'redact',
    title: 'Redact',
    description: 'Masks secrets and personal data in the line and its fields: e-mails, IP addresses, tokens, card numbers and patterns of your own.',
    kind: 'map',
    details: [
      'Kinds: `email`; `ipv4` and `ipv6` addresses; `token`: JSON Web Tokens, keys of a known shape (AWS `AKIA…`, GitHub `ghp_…`, Slack `xox…`, Stripe `sk_live_…`, Google `AIza…`) and the value after `Bearer`, `Basic`, `password=`, `secret:`, `token=`, `api_key=` and the like (the name stays);',
      '`card`: 13 to 19 digits (blanks or dashes between them allowed) starting with 3 to 6 whose Luhn checksum holds.',
      'Your `patterns` are masked first, then the kinds in the order token, email, card, ipv6, ipv4; a pattern with a group named `secret` masks that group alone.',
      'The state counts the masks of each kind. Every pattern runs on the linear-time engine.',
    ].join(' '),
    params: [
      {
        name: 'kinds',
        type: 'strings',
        values: REDACT_KINDS,
        default: [...REDACT_KINDS],
        description: 'The kinds of secrets to mask.',
        example: ['email', 'ipv4'],
      },
      {
        name: 'patterns',
        type: 'list',
        description: 'Patterns of your own to mask, each with the name its mask and its count show.',
        example: [{ name: 'customer', pattern: 'cust-\\d{6}' }],
        items: [
          { name: 'name', type: 'string', required: true, description: 'Name of the pattern, shown in the mask and the counts.', example: 'customer' },
          { name: 'pattern', type: 'regex', required: true, description: 'Regular expression whose matches are masked (only its group `secret`, when it has one).', example: 'cust-\\d{6}' },
          { name: 'ignoreCase', type: 'boolean', default: false, description: 'Match `pattern` regardless of case.', example: true },
        ],
      },
      {
        name: 'mask',
        type: 'string',
        default: '[REDACTED:{kind}]',
        description: 'What replaces each secret; `{kind}` is its kind or the pattern\'s name.',
        example: '***',
      },
      {
        name: 'fields',
        type: 'boolean',
        default: true,
        description: 'Mask the text values of the record\'s fields too (set by `parse`, `json`, `kv`, `extract`), not only the line.',
        example: false,
      },
    ],
  },
  check({ patterns = [], mask }) {
    const seen = new Set<string>(REDACT_KINDS);
    for (let i = 0; i < patterns.length; i++) {
      const { name, pattern } = patterns[i];
      if (name === '' || seen.has(name)) {
        return { path: `patterns[${i}].name`, message: name === '' ? 'cannot be empty' : `"${name}" is already a kind or another pattern's name` };
      }
      seen.add(name);
      if (validPattern(pattern).test('')) return { path: `patterns[${i}].pattern`, message: 'matches empty text, so it would mask nothing' };
    }
    const unknown = /\{(?!kind\})[^}]*\}/.exec(mask);
    if (unknown) return { path: 'mask', message: `unknown placeholder ${unknown[0]}; use {kind}` };
    return null;
  },
  create({ kinds, patterns = [], mask, fields }) {
    const masked: Record<string, number> = {};
    const maskers: Masker[] = [];
    const maskOf = (kind: string) => {
      masked[kind] = 0;
      const text = mask.replaceAll('{kind}', kind);
      return () => {
        masked[kind]++;
        return text;
      };
    };
    const addDetector = (kind: string, detector: Detector) => {
      const next = maskOf(kind);
      for (const source of detector.patterns) {
        const pattern = validPattern(source, { ignoreCase: detector.ignoreCase });
        const secret = pattern.names.get('secret');
        const { accept, hint } = detector;
        const replacement = (m: PatternMatch): string => {
          const whole = m.groups[0] ?? '';
          if (accept !== undefined && !accept(whole)) return whole;
          if (secret === undefined || m.spans[2 * secret] < 0) return next();
          // Keep what surrounds the secret (the `password=` before it).
          const from = m.spans[2 * secret] - m.start;
          const to = m.spans[2 * secret + 1] - m.start;
          return whole.slice(0, from) + next() + whole.slice(to);
        };
        maskers.push(hint === undefined ? (text) => pattern.replace(text, replacement) : (text) => (text.includes(hint) ? pattern.replace(text, replacement) : text));
      }
    };
    patterns.forEach(({ name, pattern, ignoreCase }) => addDetector(name, { patterns: [pattern], ignoreCase }));
    for (const kind of REDACT_KINDS) {
      if (!kinds.includes(kind)) continue;
      if (kind === 'ipv6') {
        const next = maskOf(kind);
        maskers.push((text) => maskIPv6(text, next));
        continue;
      }
      if (kind === 'token') addDetector(kind, LABELLED_SECRETS);
      addDetector(kind, DETECTORS[kind]);
    }
    const redactText = (text: string) => {
      for (let i = 0; i < maskers.length; i++) text = maskers[i](text);
      return text;
    };
    return {
      kind: 'map',
      map: (record) => {
        record.text = redactText(record.text);
        const values = fields ? record.fields : undefined;
        if (values !== undefined) {
          for (const key of Object.keys(values)) {
            const value = values[key];
            if (typeof value === 'string') values[key] = redactText(value);
          }
        }
        return record;
      },
      state: () => ({ masked: { ...masked } }),
      partial: () => ({ kind: 'redact', masked: { ...masked } }),
      takePartial: () => {
        const part = { kind: 'redact' as const, masked: { ...masked } };
        for (const kind in masked) masked[kind] = 0;
        return part;
      },
    };
  },
});
