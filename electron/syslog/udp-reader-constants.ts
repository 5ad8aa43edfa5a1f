/**
 * A batch of datagrams from the UDP reader thread is one buffer; per datagram: received at (f64),
 * message length (u32), bytes kept (u32), peer port (u16), address length (u8), then the address
 * (latin1) and the bytes kept. Little-endian.
 */
export const HEADER_BYTES = 8 + 4 + 4 + 2 + 1;
