import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format } from './auditd.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.UTC(2026, 5, 30) };
const hex = (s: string): string => Array.from(new TextEncoder().encode(s), (b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();

function parseAll(lines: string[]) {
  const parser = format.create(ctx);
  return lines.map((l) => parser.parse(l));
}

describe('auditd parser', () => {
  it('reads the record header: time with ms, serial, type as action', () => {
    const [e] = parseAll(['type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e syscall=2 success=no exit=-13 auid=1000 uid=1000 comm="cat" exe="/usr/bin/cat" key="sensitive"']);
    expect(e).toMatchObject({
      ts: 1364481363243, dataset: 'auditd', action: 'syscall', outcome: 'failure', program: 'cat',
      extra: { type: 'SYSCALL', serial: '24287', syscall: '2', exit: '-13', key: 'sensitive', auid: '1000' },
    });
  });

  it('decodes hex values, keeps the hex, and turns proctitle NULs into spaces', () => {
    const [e] = parseAll([`type=PROCTITLE msg=audit(1.5:9): proctitle=${hex('sh\0-c\0echo hi')}`]);
    expect(e?.message).toBe('sh -c echo hi');
    expect(e?.extra).toMatchObject({ proctitle: 'sh -c echo hi', proctitle_hex: hex('sh\0-c\0echo hi') });
    expect(e?.ts).toBe(1500);
  });

  it('does not decode SYSCALL a0..a3, which are numbers in hex, nor quoted values', () => {
    const [e] = parseAll(['type=SYSCALL msg=audit(1.000:1): a0=ABCD a1=7ffd name="CAFE"']);
    expect(e?.extra).toMatchObject({ a0: 'ABCD', a1: '7ffd', name: 'CAFE' });
    expect(e?.extra).not.toHaveProperty('a0_hex');
    expect(e?.extra).not.toHaveProperty('name_hex');
  });

  it('lets the records of one event inherit identity from the SYSCALL record, within bounds', () => {
    const events = parseAll([
      'type=SYSCALL msg=audit(100.1:7): syscall=59 success=yes auid=1000 uid=0 pid=42 comm="sh" exe="/bin/sh"\x1dAUID="alice" UID="root"',
      'type=EXECVE msg=audit(100.1:7): argc=2 a0="sh" a1="-i"',
      'type=PATH msg=audit(100.1:8): item=0 name="/tmp"',
    ]);
    expect(events[0]).toMatchObject({ user: 'alice', pid: 42, program: 'sh' });
    expect(events[1]).toMatchObject({ user: 'alice', pid: 42, program: 'sh', message: 'sh -i', extra: { auid: '1000', uid: '0' } });
    expect(events[2]?.user).toBeUndefined();
    expect(events[2]?.extra).not.toHaveProperty('auid');

    const parser = format.create(ctx);
    parser.parse('type=SYSCALL msg=audit(1.0:1): auid=5 uid=5');
    for (let i = 2; i < 400; i++) parser.parse(`type=SYSCALL msg=audit(1.0:${i}): auid=6 uid=6`);
    // The oldest open event has been forgotten, so its late record inherits nothing.
    expect(parser.parse('type=CWD msg=audit(1.0:1): cwd="/"')?.extra).not.toHaveProperty('auid');
  });

  it('maps user records: acct, address, outcome, msg text as message', () => {
    const [e] = parseAll([`node=bastion type=USER_LOGIN msg=audit(1492896301.818:19955): pid=12635 uid=0 auid=4294967295 ses=4294967295 msg='op=login acct=${hex('(invalid user)')} exe="/usr/sbin/sshd" hostname=? addr=179.38.151.221 terminal=sshd res=failed'`]);
    expect(e).toMatchObject({
      host: 'bastion', user: '(invalid user)', srcIp: '179.38.151.221', outcome: 'failure', action: 'user_login', program: 'sshd', pid: 12635,
    });
    expect(e?.message).toBe('op=login acct="(invalid user)" exe="/usr/sbin/sshd" hostname=? addr=179.38.151.221 terminal=sshd res=failed');
    expect(e?.extra).not.toHaveProperty('msg');
  });

  it('prefers the enriched AUID name over UID, and ignores "unset"', () => {
    const [a, b] = parseAll([
      'type=SYSCALL msg=audit(1.0:1): auid=1000 uid=0\x1dAUID="alice" UID="root"',
      'type=SYSCALL msg=audit(1.0:2): auid=4294967295 uid=0\x1dAUID="unset" UID="root"',
    ]);
    expect(a?.user).toBe('alice');
    expect(b?.user).toBe('root');
  });

  it('reads records without a colon, without a time, and behind a syslog prefix', () => {
    const [a, b, c] = parseAll([
      'type=DAEMON_CONFIG msg=audit(1490239800.477:34) config changed, auid=0 pid=1512 res=success',
      'type=UNKNOWN[1329] msg=?',
      'Jun 16 14:30:05 web02 audispd: node=web02 type=EXECVE msg=audit(1781620205.010:331): argc=1 a0="id"',
    ]);
    expect(a).toMatchObject({ ts: 1490239800477, outcome: 'success', pid: 1512, message: 'config changed, auid=0 pid=1512 res=success' });
    expect(b).toMatchObject({ ts: null, action: 'unknown[1329]' });
    expect(c).toMatchObject({ host: 'web02', action: 'execve', message: 'id' });
  });

  it('splits multiple rule keys and strips a stray quote', () => {
    const [e] = parseAll(['type=SYSCALL msg=audit(1515619721.392:106081): success=yes key=65786563013634626974"']);
    expect(e?.extra?.['key']).toEqual(['exec', '64bit']);
  });

  it('decodes SOCKADDR into the destination', () => {
    const [v4, v6, unix] = parseAll([
      'type=SOCKADDR msg=audit(1.0:1): saddr=02000050A9FEA9FE0000000000000000',
      'type=SOCKADDR msg=audit(1.0:2): saddr=0A000016000000000000000000000000000000000000000100000000',
      'type=SOCKADDR msg=audit(1.0:3): saddr=01002F7661722F72756E2F6E7363642F736F636B657400',
    ]);
    expect(v4).toMatchObject({ dstIp: '169.254.169.254', dstPort: 80 });
    expect(v6).toMatchObject({ dstIp: '::1', dstPort: 22 });
    expect(unix?.extra).toMatchObject({ saddr_family: 'local', saddr_path: '/var/run/nscd/socket' });
  });

  it('returns null for lines that are not audit records', () => {
    expect(parseAll(['', 'hello world', 'type=SYSCALL without msg', '{"type":"SYSCALL"}'])).toEqual([null, null, null, null]);
  });

  it('is detected over the other formats', () => {
    const sample = [
      'type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59 success=yes auid=1000 uid=0 comm="id" exe="/usr/bin/id"',
      'type=EXECVE msg=audit(1.0:1): argc=1 a0="id"',
      'type=PROCTITLE msg=audit(1.0:1): proctitle="id"',
    ];
    expect(detectFormat(FORMATS, sample, ctx)?.format.id).toBe('auditd');
  });
});
