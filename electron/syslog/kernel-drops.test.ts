import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dropsInTable, udpKernelDrops } from './kernel-drops.ts';

// Rows as Linux prints them (x86, little-endian): 127.0.0.1:5514, 0.0.0.0:53 and [::1]:5514.
const UDP = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  120: 0100007F:158A 00000000:0000 07 00000000:00034000 00:00000000 00000000  1000        0 481516 2 0000000000000000 42
  300: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 1234 2 0000000000000000 0
`;
const UDP6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  55: 00000000000000000000000001000000:158A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000  1000        0 99 2 0000000000000000 7
`;

describe('UDP kernel drops', () => {
  it('reads the drops column of the socket bound to the address and port', () => {
    expect(dropsInTable(UDP, '127.0.0.1', 5514, true)).toBe(42);
    expect(dropsInTable(UDP, '0.0.0.0', 53, true)).toBe(0);
    expect(dropsInTable(UDP6, '::1', 5514, true)).toBe(7);
    expect(dropsInTable(UDP, '127.0.0.1', 5515, true)).toBeNull();
    expect(dropsInTable(UDP, '127.0.0.2', 5514, true)).toBeNull();
  });

  it('finds a real socket of this process', async (ctx) => {
    if (!existsSync('/proc/net/udp')) {
      ctx.skip('no /proc/net/udp on this system (not Linux): drops are reported as unknown');
      return;
    }
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      expect(udpKernelDrops('127.0.0.1', socket.address().port)).toBe(0);
    } finally {
      socket.close();
    }
  });
});
