/**
 * Datagrams the kernel dropped for a UDP socket because its receive buffer was full. Node has no
 * SO_RXQ_OVFL, so on Linux this reads the `drops` column of /proc/net/udp (udp6 for IPv6), the
 * per-socket counter the kernel keeps, finding the socket by its bound address and port. Elsewhere
 * it answers null: not known, rather than a zero that would claim nothing was lost.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { isIP } from 'node:net';
import { ipBytes } from './bind-address.ts';

/** The kernel's drop count for the UDP socket bound to host:port, or null when it cannot be read. */
export function udpKernelDrops(host: string, port: number, procRoot = '/proc'): number | null {
  const family = isIP(host);
  if (family === 0) return null;
  let table: string;
  try {
    table = readFileSync(`${procRoot}/net/${family === 6 ? 'udp6' : 'udp'}`, 'latin1');
  } catch {
    return null;
  }
  return dropsInTable(table, host, port);
}

/** The drops of the row whose local address is host:port in a /proc/net/udp{,6} table. */
export function dropsInTable(table: string, host: string, port: number, littleEndian = endianness() === 'LE'): number | null {
  const wanted = ipBytes(host);
  if (wanted === null) return null;
  const lines = table.split('\n');
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const dropsAt = header.indexOf('drops');
  if (dropsAt < 0) return null;
  for (const line of lines.slice(1)) {
    const cols = line.trim().split(/\s+/);
    const local = cols[1];
    if (local === undefined) continue;
    const [addrHex = '', portHex = ''] = local.split(':');
    if (parseInt(portHex, 16) !== port) continue;
    const bytes = Buffer.from(addrHex, 'hex');
    // The kernel prints each 32-bit word of the address in host byte order.
    if (littleEndian) for (let w = 0; w < bytes.length; w += 4) bytes.subarray(w, w + 4).reverse();
    if (!bytes.equals(wanted)) continue;
    // The header names tx_queue/rx_queue and tr/tm->when apart, the rows print each pair as one
    // field: only "last column" holds for both.
    const drops = Number(cols.at(-1));
    return Number.isFinite(drops) ? drops : null;
  }
  return null;
}
