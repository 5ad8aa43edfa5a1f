/**
 * A minimal MaxMind DB writer for tests, following the published format specification
 * (https://maxmind.github.io/MaxMind-DB/, version 2.0): an IPv6 search tree with 24-bit records
 * (IPv4 networks under ::/96), the 16-byte separator, the data section, and the metadata map after
 * the `\xab\xcd\xefMaxMind.com` marker. No real databases are downloaded or committed; tests write
 * the few networks they need. Insert wider networks before the narrower ones inside them.
 */
import { writeFileSync } from 'node:fs';
import { parseNetwork } from '../../shared/intel/ip.ts';

export type MmdbValue = string | number | boolean | MmdbValue[] | { [key: string]: MmdbValue };

export interface MmdbSpec {
  databaseType: string;
  /** Seconds since the epoch. */
  buildEpoch: number;
  description?: string;
  records: { network: string; data: MmdbValue }[];
}

// Data section type numbers (spec, "Output Data Section").
const T = { utf8: 2, double: 3, uint16: 5, uint32: 6, map: 7, uint64: 9, array: 11, boolean: 14 } as const;

function control(type: number, size: number): Buffer {
  let sizeBits: number;
  let sizeBytes: Buffer;
  if (size < 29) {
    sizeBits = size;
    sizeBytes = Buffer.alloc(0);
  } else if (size < 29 + 256) {
    sizeBits = 29;
    sizeBytes = Buffer.from([size - 29]);
  } else if (size < 285 + 65536) {
    sizeBits = 30;
    sizeBytes = Buffer.alloc(2);
    sizeBytes.writeUInt16BE(size - 285);
  } else {
    sizeBits = 31;
    sizeBytes = Buffer.alloc(3);
    sizeBytes.writeUIntBE(size - 65821, 0, 3);
  }
  // Types above 7 are "extended": type bits 0, and the next byte holds the type minus 7.
  const head = type <= 7 ? Buffer.from([(type << 5) | sizeBits]) : Buffer.from([sizeBits, type - 7]);
  return Buffer.concat([head, sizeBytes]);
}

function unsigned(type: number, n: number | bigint): Buffer {
  let v = BigInt(n);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

export function encode(value: MmdbValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([control(T.utf8, bytes.length), bytes]);
  }
  if (typeof value === 'boolean') return control(T.boolean, value ? 1 : 0);
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value < 2 ** 32) return unsigned(T.uint32, value);
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return Buffer.concat([control(T.double, 8), b]);
  }
  if (Array.isArray(value)) return Buffer.concat([control(T.array, value.length), ...value.map(encode)]);
  const entries = Object.entries(value);
  return Buffer.concat([control(T.map, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v)])]);
}

type Ref = { node: number } | { data: number } | null;

/** The network's leading bits in the IPv6 tree (IPv4 networks after 96 zero bits). */
function bitsOf(text: string): number[] {
  const net = parseNetwork(text);
  if (!net) throw new Error(`mmdb writer: ${text} is not a network`);
  const bits: number[] = [];
  if (net.family === 4) {
    for (let i = 0; i < 96; i++) bits.push(0);
    for (let i = 31; i > 31 - net.prefix; i--) bits.push(Math.floor((net.first as number) / 2 ** i) % 2);
  } else {
    const hex = net.first as string;
    for (let i = 0; i < net.prefix; i++) bits.push((parseInt(hex[i >> 2] as string, 16) >> (3 - (i & 3))) & 1);
  }
  return bits;
}

export function buildMmdb(spec: MmdbSpec): Buffer {
  const nodes: [Ref, Ref][] = [[null, null]];
  const data: Buffer[] = [];
  let dataSize = 0;
  for (const { network, data: value } of spec.records) {
    const encoded = encode(value);
    const offset = dataSize;
    data.push(encoded);
    dataSize += encoded.length;
    const bits = bitsOf(network);
    let node = 0;
    bits.forEach((b, depth) => {
      const bit = b as 0 | 1;
      const pair = nodes[node] as [Ref, Ref];
      if (depth === bits.length - 1) {
        pair[bit] = { data: offset };
        return;
      }
      let next: Ref = pair[bit];
      if (next === null || 'data' in next) {
        // A wider network's data continues on both sides of the new node.
        nodes.push([next, next]);
        next = { node: nodes.length - 1 };
        pair[bit] = next;
      }
      node = next.node;
    });
  }
  const nodeCount = nodes.length;
  const record = (r: Ref): number => (r === null ? nodeCount : 'node' in r ? r.node : nodeCount + 16 + r.data);
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach(([l, r], i) => {
    tree.writeUIntBE(record(l), i * 6, 3);
    tree.writeUIntBE(record(r), i * 6 + 3, 3);
  });
  // The metadata map with the integer widths the spec gives each key.
  const fields: [string, Buffer][] = [
    ['binary_format_major_version', unsigned(T.uint16, 2)], ['binary_format_minor_version', unsigned(T.uint16, 0)],
    ['build_epoch', unsigned(T.uint64, spec.buildEpoch)], ['database_type', encode(spec.databaseType)],
    ['description', encode({ en: spec.description ?? `${spec.databaseType} (test)` })], ['ip_version', unsigned(T.uint16, 6)],
    ['languages', encode(['en'])], ['node_count', unsigned(T.uint32, nodeCount)], ['record_size', unsigned(T.uint16, 24)],
  ];
  const metadata = Buffer.concat([control(T.map, fields.length), ...fields.flatMap(([k, v]) => [encode(k), v])]);
  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from([0xab, 0xcd, 0xef]), Buffer.from('MaxMind.com'), metadata]);
}

export function writeMmdb(path: string, spec: MmdbSpec): void {
  writeFileSync(path, buildMmdb(spec));
}

/** A GeoLite2-City-like record. */
export const cityRecord = (iso: string, country: string, city: string): MmdbValue => ({
  city: { names: { en: city } },
  continent: { code: 'EU', names: { en: 'Europe' } },
  country: { iso_code: iso, names: { en: country } },
  location: { latitude: 52.3759, longitude: 4.8975, time_zone: 'Europe/Amsterdam' },
});

/** A GeoLite2-ASN-like record. */
export const asnRecord = (asn: number, org: string): MmdbValue => ({ autonomous_system_number: asn, autonomous_system_organization: org });
