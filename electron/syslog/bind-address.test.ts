import { describe, expect, it } from 'vitest';
import { BindAddressError, formatHostPort, ipBytes, isLoopback, parseBindAddress, peerAddress } from './bind-address.ts';

describe('bind addresses', () => {
  it('parses HOST:PORT, [V6]:PORT and a port alone, on loopback unless told otherwise', () => {
    expect(parseBindAddress('5514')).toEqual({ host: '127.0.0.1', port: 5514 });
    expect(parseBindAddress('0.0.0.0:514')).toEqual({ host: '0.0.0.0', port: 514 });
    expect(parseBindAddress('[::1]:6514')).toEqual({ host: '::1', port: 6514 });
    expect(parseBindAddress('::')).toEqual({ host: '::', port: 5514 });
    expect(parseBindAddress('localhost:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseBindAddress('10.1.2.3', 6514)).toEqual({ host: '10.1.2.3', port: 6514 });
  });

  it('refuses names and bad ports, saying what it wants', () => {
    expect(() => parseBindAddress('example.com:514')).toThrow(BindAddressError);
    expect(() => parseBindAddress('example.com:514')).toThrow(/must be an IP address/);
    expect(() => parseBindAddress('127.0.0.1:70000')).toThrow(/not a port/);
  });

  it('formats and classifies addresses', () => {
    expect(formatHostPort('::1', 5514)).toBe('[::1]:5514');
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(peerAddress('::ffff:192.0.2.4')).toBe('192.0.2.4');
    expect(ipBytes('::ffff:1.2.3.4')).toEqual(Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]));
    expect(ipBytes('not an ip')).toBeNull();
  });
});
