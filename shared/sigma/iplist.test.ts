import { describe, expect, it } from 'vitest';
import { IpListIndex } from '../intel/list-index.ts';
import { EventCache } from './event-cache.ts';
import { detectionFrom, zeekEvent, zeekRule } from './test-support.ts';

const lists = IpListIndex.fromText({
  'firehol_level1': ['198.51.100.0/24', '2001:db8:bad::/48'],
  'Feodo-C2': ['198.51.100.7', '203.0.113.50'],
});
const lookup = (ip: string): readonly string[] => lists.listsOf(ip);

function rule(selection: string) {
  return detectionFrom(zeekRule(`sel:\n${selection.replace(/^/gm, '  ')}\ncondition: sel`));
}

function matches(selection: string, ip: string | string[], withLists = true) {
  const e = zeekEvent({ addr: ip });
  return rule(selection).match(e, new EventCache(e, withLists ? lookup : undefined));
}

describe('the iplist modifier', () => {
  it('matches an address on the named list, by name without case, with wildcards', () => {
    expect(matches('addr|iplist: firehol_level1', '198.51.100.20')).not.toBeNull();
    expect(matches('addr|iplist: FIREHOL_LEVEL1', '198.51.100.20')).not.toBeNull();
    expect(matches("addr|iplist: 'firehol*'", '198.51.100.20')).not.toBeNull();
    expect(matches('addr|iplist: feodo-c2', '198.51.100.20')).toBeNull();
    expect(matches('addr|iplist: feodo-c2', '203.0.113.50')).not.toBeNull();
    expect(matches('addr|iplist: firehol_level1', '2001:db8:bad::1')).not.toBeNull();
    expect(matches('addr|iplist: firehol_level1', '::ffff:198.51.100.9')).not.toBeNull();
  });

  it("'*' is any list; an address on none, a non-address and an absent field do not match", () => {
    expect(matches("addr|iplist: '*'", '203.0.113.50')).not.toBeNull();
    expect(matches("addr|iplist: '*'", '192.0.2.1')).toBeNull();
    expect(matches("addr|iplist: '*'", 'not an address')).toBeNull();
    const e = zeekEvent({});
    expect(rule("addr|iplist: '*'").match(e, new EventCache(e, lookup))).toBeNull();
  });

  it('knows no list without a lookup (a case with no lists imported)', () => {
    expect(matches("addr|iplist: '*'", '198.51.100.20', false)).toBeNull();
  });

  it('all: on every list named; neq: present and on none of them', () => {
    expect(matches('addr|iplist|all: [firehol_level1, feodo-c2]', '198.51.100.7')).not.toBeNull();
    expect(matches('addr|iplist|all: [firehol_level1, feodo-c2]', '198.51.100.8')).toBeNull();
    expect(matches('addr|iplist|neq: feodo-c2', '198.51.100.8')).not.toBeNull();
    expect(matches('addr|iplist|neq: feodo-c2', '198.51.100.7')).toBeNull();
  });

  it('checks every address of a list-valued field', () => {
    expect(matches("addr|iplist: '*'", ['192.0.2.1', '198.51.100.3'])).not.toBeNull();
  });

  it('says which lists matched in the explanation', () => {
    expect(matches("addr|iplist: '*'", '198.51.100.7')?.values).toEqual([{ field: 'addr', value: '198.51.100.7 (on firehol_level1, Feodo-C2)' }]);
    expect(matches("addr|iplist: 'feodo*'", '198.51.100.7')?.values).toEqual([{ field: 'addr', value: '198.51.100.7 (on Feodo-C2)' }]);
  });

  it('refuses combinations that make no sense, naming the entry', () => {
    const reason = (sel: string): string => {
      try {
        rule(sel);
        return 'loaded';
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(reason('addr|iplist|contains: x')).toMatch(/"iplist" cannot be combined with contains/);
    expect(reason('addr|iplist|cidr: 10.0.0.0/8')).toMatch(/"cidr" and "iplist" cannot be combined/);
    expect(reason('addr|iplist|cased: x')).toMatch(/"cased" does not apply/);
    expect(reason("addr|iplist: ''")).toMatch(/iplist needs a list name/);
    expect(reason('addr|iplist: null')).toMatch(/null cannot be combined/);
  });
});
