import { describe, expect, it } from 'vitest';
import type { QueryNode } from './ast.ts';
import { FIELDS, fieldByName } from './fields.ts';
import { checkQuery, parseQuery, QueryError } from './parse.ts';

/** A compact rendering of the tree: enough to see precedence and what each term tests. */
function show(node: QueryNode | null): string {
  if (node === null) return '∅';
  switch (node.kind) {
    case 'and': return `(${node.children.map(show).join(' & ')})`;
    case 'or': return `(${node.children.map(show).join(' | ')})`;
    case 'not': return `!${show(node.child)}`;
    case 'text': return node.phrase ? `"${node.text}"` : `~${node.text}`;
    case 'term': {
      const t = node.test;
      switch (t.type) {
        case 'equals': return `${node.field}=${t.value}`;
        case 'pattern': return `${node.field}~${t.pattern}`;
        case 'compare': return `${node.field}${t.op}${t.value}`;
        case 'digits': return `${node.field}#${t.pattern}`;
        case 'ip': return `${node.field}@${t.value}`;
        case 'cidr': return `${node.field}@${t.cidr.text}/v${t.cidr.version}`;
        case 'level': return `${node.field}=${t.level}`;
        case 'id': return `${node.field}#${t.id}`;
      }
    }
  }
}

const q = (text: string): string => show(parseQuery(text));

function error(text: string): { message: string; underlined: string } {
  const r = checkQuery(text);
  if (r.ok) throw new Error(`expected an error for ${text}`);
  return { message: r.error.message, underlined: text.slice(r.error.start, r.error.end) };
}

describe('the filter language', () => {
  it('reads words and phrases as text anywhere in the line', () => {
    expect(q('')).toBe('∅');
    expect(q('   ')).toBe('∅');
    expect(q('failed')).toBe('~failed');
    expect(q('"invalid user" root')).toBe('("invalid user" & ~root)');
    expect(q('"say \\"hi\\" \\\\ now"')).toBe('"say "hi" \\ now"');
    expect(q('wp-login*.php')).toBe('~wp-login*.php');
    expect(q('uid=0')).toBe('~uid=0');
    expect(q('10:42:00')).toBe('~10:42:00');
  });

  it('reads field:value with short names, ECS names and aliases in any case', () => {
    expect(q('user:root')).toBe('user=root');
    expect(q('user.name:root')).toBe('user=root');
    expect(q('User.Name:root')).toBe('user=root');
    expect(q('source.ip:203.0.113.7')).toBe('src@203.0.113.7');
    expect(q('http.response.status_code:404')).toBe('status=404');
    expect(q('url:*wp-login*')).toBe('url~*wp-login*');
    expect(q('ua:"Mozilla/5.0 (X11)"')).toBe('ua=Mozilla/5.0 (X11)');
    expect(q('url:"/a*b"')).toBe('url=/a*b');
    expect(q('method:post')).toBe('method=POST');
    expect(q('outcome:FAILURE')).toBe('outcome=failure');
    expect(q('level:Error')).toBe('level=error');
    expect(q('status:4*')).toBe('status#4*');
    expect(q('source:auth.log source:3 file:*.gz')).toBe('(source=auth.log & source#3 & source~*.gz)');
    expect(q('alert:12')).toBe('alert#12');
    expect(q('user:a:b')).toBe('user=a:b');
    for (const f of FIELDS) for (const name of [f.name, ...f.aliases]) expect(fieldByName(name)?.name).toBe(f.name);
  });

  it('reads comparisons on number fields', () => {
    expect(q('status>=400')).toBe('status>=400');
    expect(q('bytes>10000')).toBe('bytes>10000');
    expect(q('pid<100 src_port<=1024')).toBe('(pid<100 & src_port<=1024)');
    expect(q('port!=22')).toBe('!port=22');
    expect(q('user!=root')).toBe('!user=root');
    expect(q('bytes>1.5')).toBe('bytes>1.5');
  });

  it('reads addresses, networks and address patterns, IPv4 and IPv6', () => {
    expect(q('ip:10.0.0.0/8')).toBe('ip@10.0.0.0/8/v4');
    expect(q('ip:2001:db8::/32')).toBe('ip@2001:db8::/32/v6');
    expect(q('dst:fe80::1')).toBe('dst@fe80::1');
    expect(q('src:10.0.*')).toBe('src~10.0.*');
    // Bare addresses and URLs are text, though they contain colons.
    expect(q('fe80::1')).toBe('~fe80::1');
    expect(q('http://evil.example/x')).toBe('~http://evil.example/x');
  });

  it('binds NOT tighter than AND, AND tighter than OR, with AND implied', () => {
    expect(q('a b or c')).toBe('((~a & ~b) | ~c)');
    expect(q('a or b c')).toBe('(~a | (~b & ~c))');
    expect(q('a AND b Or c')).toBe('((~a & ~b) | ~c)');
    expect(q('not a b')).toBe('(!~a & ~b)');
    expect(q('NOT a or b')).toBe('(!~a | ~b)');
    expect(q('-a -user:root')).toBe('(!~a & !user=root)');
    expect(q('-(a or b) c')).toBe('(!(~a | ~b) & ~c)');
    expect(q('not not a')).toBe('!!~a');
    expect(q('-"bad phrase"')).toBe('!"bad phrase"');
    expect(q('(a or b) and (c or d)')).toBe('((~a | ~b) & (~c | ~d))');
    expect(q('((a))')).toBe('~a');
    expect(q('status>=500 or (status>=400 and -url:/favicon.ico) ip:10.0.0.0/8'))
      .toBe('(status>=500 | (status>=400 & !url=/favicon.ico & ip@10.0.0.0/8/v4))');
  });

  it('keeps where each part was written', () => {
    const ast = parseQuery('  user:root  or -"x y"');
    expect(ast).toMatchObject({ kind: 'or', start: 2, end: 22, children: [{ start: 2, end: 11 }, { kind: 'not', start: 16, end: 22, child: { start: 17, end: 22 } }] });
    expect(parseQuery('(a b)')).toMatchObject({ kind: 'and', start: 0, end: 5 });
  });

  it('names an unknown field, lists the known ones, and underlines the name', () => {
    const e = error('failed usr:root');
    expect(e.underlined).toBe('usr');
    expect(e.message).toContain('unknown field "usr"');
    expect(e.message).toContain('user, host');
    expect(e.message).toContain('quotes');
    expect(error('aa:bb:cc:dd:ee:ff').underlined).toBe('aa');
  });

  it('refuses comparisons on text and address fields, and non-numbers on number fields', () => {
    expect(error('user>=root')).toEqual({ message: '>= compares numbers, and user is not a number field', underlined: 'user>=root' });
    expect(error('ip>10.0.0.1').message).toContain('ip:10.0.0.0/8');
    expect(error('status:abc')).toEqual({ message: 'status is a number field: "abc" is not a number', underlined: 'abc' });
    expect(error('status>=4xx')).toEqual({ message: 'status>= needs a number, not "4xx"', underlined: '4xx' });
  });

  it('refuses bad addresses and networks, naming them', () => {
    expect(error('ip:10.0.0.0/33')).toMatchObject({ underlined: '10.0.0.0/33' });
    expect(error('ip:10.0.0.0/33').message).toContain('not a network');
    expect(error('src:300.1.1.1')).toEqual({ message: '"300.1.1.1" is not an IP address', underlined: '300.1.1.1' });
    expect(error('dst:2001:db8::/129').underlined).toBe('2001:db8::/129');
    expect(error('ip:evil*').message).toContain('not an address pattern');
  });

  it('refuses unclosed quotes and parentheses, stray ones, and dangling operators', () => {
    expect(error('user:root "failed pass')).toEqual({ message: 'this quote is not closed: add a " at the end of the phrase', underlined: '"failed pass' });
    expect(error('ua:"curl')).toMatchObject({ underlined: '"curl' });
    expect(error('(a or (b c)')).toEqual({ message: 'this parenthesis is not closed: add a )', underlined: '(' });
    expect(error('a b)')).toEqual({ message: 'this ) closes no parenthesis', underlined: ')' });
    expect(error('a ()')).toEqual({ message: 'nothing between these parentheses', underlined: '()' });
    expect(error('a or')).toEqual({ message: 'OR needs a term after it', underlined: 'or' });
    expect(error('a and or b').message).toBe('AND needs a term after it, not OR');
    expect(error('or a')).toEqual({ message: 'unexpected OR', underlined: 'or' });
    expect(error('a not')).toEqual({ message: 'NOT needs a term after it', underlined: 'not' });
    expect(error('a - b')).toMatchObject({ underlined: '-' });
    expect(error('user:')).toEqual({ message: 'user: needs a value', underlined: 'user:' });
    expect(error('""').message).toBe('empty phrase');
  });

  it('refuses bad levels and alert ids, listing what is allowed', () => {
    expect(error('level:bad')).toEqual({ message: '"bad" is not a level; levels: error, failure, warning, info, unparsed', underlined: 'bad' });
    expect(error('alert:x').message).toBe('alert: takes an alert\'s number, not "x"');
    expect(error('alert:0').underlined).toBe('0');
  });

  it('throws a QueryError with offsets, and refuses absurd nesting instead of overflowing the stack', () => {
    expect(() => parseQuery('(')).toThrow(QueryError);
    const deep = `${'('.repeat(5000)}a${')'.repeat(5000)}`;
    expect(error(deep).message).toContain('deeper than 100');
    expect(error('not '.repeat(500) + 'a').message).toContain('deeper');
  });
});
