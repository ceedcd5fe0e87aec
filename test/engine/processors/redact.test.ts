import { describe, expect, it } from 'vitest';
import { formatIssues, parsePipeline } from '../../../src/engine/pipeline/config.ts';
import { isCardNumber, isIPv6 } from '../../../src/engine/processors/redact.ts';
import type { LogRecord } from '../../../src/engine/types.ts';
import { create, record } from './helpers.ts';

function redactor(params: Record<string, unknown> = {}) {
  const instance = create('redact', params);
  if (instance.kind !== 'map') throw new Error('redact is a map processor');
  return {
    text: (line: string) => (instance.map(record(line)) as LogRecord).text,
    map: instance.map,
    masked: () => (instance.state?.() as { masked: Record<string, number> }).masked,
  };
}

describe('redact', () => {
  it('masks e-mails, IPv4 and IPv6 addresses, and counts each kind', () => {
    const r = redactor();
    expect(r.text('login bob.smith+x@mail.example.co.uk from 10.0.0.12 ok')).toBe(
      'login [REDACTED:email] from [REDACTED:ipv4] ok',
    );
    expect(r.text('peer 2001:db8::8a2e:370:7334, then [fe80::1]:8080 and ::ffff:192.0.2.1.')).toBe(
      'peer [REDACTED:ipv6], then [[REDACTED:ipv6]]:8080 and [REDACTED:ipv6].',
    );
    expect(r.masked()).toEqual({ token: 0, email: 1, card: 0, ipv6: 3, ipv4: 1 });
  });

  it('leaves what only looks like an address: times, versions past 255, C++ names, MACs', () => {
    const r = redactor({ kinds: ['ipv4', 'ipv6'] });
    const line = 'at 12:34:56.789 v1.2.3 build 300.1.1.1 std::vector<int> a::b::c mac 00:1a:2b:3c:4d:5e';
    expect(r.text(line)).toBe(line);
  });

  it('masks tokens: JWTs, keys of a known shape, and the value after Bearer or password= (the name stays)', () => {
    const r = redactor({ kinds: ['token'] });
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(r.text(`auth ok token ${jwt} end`)).toBe('auth ok token [REDACTED:token] end');
    expect(r.text('Authorization: Bearer abc.DEF-123_x~y+z/0==')).toBe('Authorization: Bearer [REDACTED:token]');
    expect(r.text('login user=bob password=hunter2 PASSWD: "s3cret" api_key=AKIAIOSFODNN7EXAMPLE')).toBe(
      'login user=bob password=[REDACTED:token] PASSWD: "[REDACTED:token]" api_key=[REDACTED:token]',
    );
    expect(r.text('{"client_secret":"abc","tokens":5}')).toBe('{"client_secret":"[REDACTED:token]","tokens":5}');
    expect(r.text('key AKIAIOSFODNN7EXAMPLE and ghp_' + 'a'.repeat(36))).toBe('key [REDACTED:token] and [REDACTED:token]');
  });

  it('masks card numbers that pass the Luhn check, with blanks or dashes, and no other digit runs', () => {
    const r = redactor({ kinds: ['card'] });
    expect(r.text('paid with 4111 1111 1111 1111 today')).toBe('paid with [REDACTED:card] today');
    expect(r.text('card 5500-0000-0000-0004 ok')).toBe('card [REDACTED:card] ok');
    expect(r.text('order 4111111111111112 ts 1700000000000 id 20240101123456789')).toBe(
      'order 4111111111111112 ts 1700000000000 id 20240101123456789',
    );
    expect(isCardNumber('378282246310005')).toBe(true);
    expect(isCardNumber('1234567812345670')).toBe(false); // Luhn holds, but no issuer starts with 1
  });

  it('masks patterns of your own first, the group named secret alone, with your mask', () => {
    const r = redactor({
      kinds: ['email'],
      patterns: [
        { name: 'customer', pattern: 'cust-\\d{6}' },
        { name: 'session', pattern: 'sid=(?<secret>[0-9a-f]+);' },
      ],
      mask: '<{kind}>',
    });
    expect(r.text('cust-123456 sid=deadbeef; mail a@b.io')).toBe('<customer> sid=<session>; mail <email>');
    expect(r.masked()).toEqual({ customer: 1, session: 1, email: 1 });
  });

  it('masks text values of the fields too, unless told not to', () => {
    const line = (): LogRecord => ({ ...record('user a@b.io'), fields: { message: 'user a@b.io', status: 200 } });
    expect(redactor({ kinds: ['email'] }).map(line())?.fields).toEqual({ message: 'user [REDACTED:email]', status: 200 });
    expect(redactor({ kinds: ['email'], fields: false }).map(line())?.fields).toEqual({ message: 'user a@b.io', status: 200 });
  });

  it('refuses names already taken, patterns that match empty text, and unknown placeholders', () => {
    const issues = (params: Record<string, unknown>) => {
      const result = parsePipeline({ processors: [{ type: 'redact', ...params }] });
      if (result.ok) throw new Error('expected a refusal');
      return formatIssues(result.error);
    };
    expect(issues({ patterns: [{ name: 'email', pattern: 'x' }] })).toMatch(/^processors\[0\]\.patterns\[0\]\.name: "email" is already/);
    expect(issues({ patterns: [{ name: 'n', pattern: 'x*' }] })).toMatch(/patterns\[0\]\.pattern: matches empty text/);
    expect(issues({ mask: '[{type}]' })).toBe('processors[0].mask: unknown placeholder {type}; use {kind}');
    expect(issues({ kinds: ['phone'] })).toMatch(/^processors\[0\]\.kinds: "phone" is not one of token, email, card, ipv6, ipv4/);
  });

  it('tells IPv6 addresses from other text with colons', () => {
    for (const address of ['::1', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', 'fe80::', '2001:DB8:0:0:8:800:200C:417A']) {
      expect(isIPv6(address), address).toBe(true);
    }
    for (const text of ['::', '1:2:3', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::1', 'g::1', '1:2:3:4:5:6:7::8:9']) {
      expect(isIPv6(text), text).toBe(false);
    }
  });
});
