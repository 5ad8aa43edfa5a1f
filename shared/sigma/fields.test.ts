import { describe, expect, it } from 'vitest';
import { resolveLogSource, type LogSourceMap } from './fields.ts';
import { matchLines } from './match-lines.ts';
import { ruleSetFrom } from './test-support.ts';

/** Lines of `format` that a one-selection rule with this logsource matches (0-based). */
function matched(logsource: string, selection: string, format: string, lines: string[]): number[] {
  const set = ruleSetFrom(`title: t\nid: t\nlogsource: { ${logsource} }\ndetection:\n  sel:\n${selection.replace(/^/gm, '    ')}\n  condition: sel\n`);
  const skipped = set.report.find((r) => r.status === 'skipped');
  if (skipped) throw new Error(skipped.reason);
  return matchLines(set, format, lines).matches['t'] ?? [];
}

const ACCESS = [
  '198.51.100.23 - bob [14/Mar/2026:08:02:11 +0000] "GET /shop/cart.php?id=1%27 HTTP/1.1" 404 512 "https://ref.example/" "sqlmap/1.8#stable"',
  '203.0.113.9 - - [14/Mar/2026:08:02:12 +0000] "POST /login HTTP/2.0" 200 1024 "-" "Mozilla/5.0"',
];

describe('webserver taxonomy', () => {
  it('maps the W3C names onto access-log fields', () => {
    const w = (sel: string): number[] => matched('category: webserver', sel, 'apache.access', ACCESS);
    expect(w('c-ip: 198.51.100.23')).toEqual([0]);
    expect(w('cs-method: POST')).toEqual([1]);
    expect(w('cs-uri-stem: /shop/cart.php')).toEqual([0]);
    expect(w("cs-uri-query: 'id=1%27'")).toEqual([0]);
    expect(w('cs-uri-query: null')).toEqual([1]);
    expect(w("cs-uri: '/shop/cart.php?id=1*'")).toEqual([0]);
    expect(w('sc-status: 404')).toEqual([0]);
    expect(w('sc-status|gte: 200')).toEqual([0, 1]);
    expect(w('cs-user-agent|startswith: sqlmap')).toEqual([0]);
    expect(w('cs-referer|contains: ref.example')).toEqual([0]);
    expect(w('cs-referrer|exists: true')).toEqual([0]);
    expect(w('sc-bytes|gt: 1000')).toEqual([1]);
    expect(w('cs-username: bob')).toEqual([0]);
    expect(w('cs-version: HTTP/2.0')).toEqual([1]);
    // ECS names work here too.
    expect(w('source.ip|cidr: 203.0.113.0/24')).toEqual([1]);
    expect(w('url.path|endswith: .php')).toEqual([0]);
    expect(w('http.response.status_code: 200')).toEqual([1]);
  });

  it('refuses names the parser has no value for, and names from other taxonomies', () => {
    expect(() => matched('category: webserver', 'cs-bytes|gt: 1', 'apache.access', ACCESS)).toThrow(/request sizes are not in/);
    expect(() => matched('category: webserver', 'Image: x', 'apache.access', ACCESS)).toThrow(/field "Image" has no meaning for category webserver/);
  });

  it('sees only access-log events', () => {
    expect(matched('category: webserver', 'c-ip|exists: true', 'syslog', ['Mar 14 08:02:11 web01 sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2'])).toEqual([]);
  });
});

describe('linux services', () => {
  const AUTH = [
    'Jun 22 10:01:12 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
    'Jun 22 10:03:40 web1 sudo:      bob : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/cat /etc/shadow',
    'Jun 27 11:00:01 web1 sshd[666]: Failed password for invalid user admin from 203.0.113.66 port 4444 ssh2',
    'Jun 27 11:00:09 web1 sshd[669]: Accepted password for root from 203.0.113.66 port 4447 ssh2: X',
    'Jun 27 11:00:10 web1 pkexec[70]: alice: Executing command [USER=root] [TTY=unknown]',
    'Jun 27 11:00:11 web1 CRON[70]: (root) CMD (/tmp/.x/run.sh)',
  ];

  it('uses ECS names and the fields the program parsers write', () => {
    expect(matched('product: linux, service: sudo', 'process.command_line|contains: /etc/shadow', 'syslog', AUTH)).toEqual([1]);
    expect(matched('product: linux, service: sudo', 'event.reason: not in sudoers\nuser.name: bob', 'syslog', AUTH)).toEqual([1]);
    expect(matched('product: linux, service: sshd', 'invalidUser: true\nsource.ip: 203.0.113.66', 'syslog', AUTH)).toEqual([2]);
    expect(matched('product: linux, service: cron', 'command|startswith: /tmp/', 'syslog', AUTH)).toEqual([5]);
  });

  it('scopes services by dataset, and by program for lines no parser understood', () => {
    // Line 3 has a tail the sshd parser does not take; it stays a syslog line of program sshd.
    expect(matched('product: linux, service: sshd', 'message|contains: Accepted', 'syslog', AUTH)).toEqual([3]);
    expect(matched('product: linux, service: auth', 'message|contains: alice', 'syslog', AUTH)).toEqual([0, 4]);
    expect(matched('product: linux, service: syslog', 'host.name: web1', 'syslog', AUTH)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(matched('product: linux', 'host.name: web1', 'syslog', AUTH)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reads auditd records by their raw key=value names', () => {
    const lines = [
      'type=SYSCALL msg=audit(1781600000.120:4101): arch=c000003e syscall=59 success=yes exit=0 a0=55d0c5a3e0f0 items=2 ppid=2210 pid=2317 auid=1000 uid=1000 comm="curl" exe="/usr/bin/curl" key="exec"',
      'type=EXECVE msg=audit(1781600000.120:4101): argc=5 a0="curl" a1="-s" a2="-o" a3="/tmp/x.sh" a4="http://203.0.113.7/x.sh"',
    ];
    expect(matched('product: linux, service: auditd', "type: EXECVE\na0: curl\na4|startswith: 'http://'", 'auditd', lines)).toEqual([1]);
    expect(matched('product: linux, service: auditd', 'type: SYSCALL\nkey: exec\nexe|endswith: /curl', 'auditd', lines)).toEqual([0]);
  });

  it('refuses Linux categories and unknown services', () => {
    expect(resolveLogSource({ product: 'linux', category: 'process_creation' })).toEqual({ error: expect.stringMatching(/needs process\/file\/network telemetry/) });
    expect(resolveLogSource({ product: 'linux', service: 'vsftpd' })).toEqual({ error: expect.stringMatching(/no Loupe dataset for Linux service "vsftpd" \(supported: sshd, sudo, su, cron, auth, syslog, auditd\)/) });
    const sshd = resolveLogSource({ product: 'linux', service: 'sshd' }) as LogSourceMap;
    expect(sshd.field('pam_rhost')).toEqual({ error: 'field "pam_rhost" has no meaning for product linux service sshd' });
  });
});

describe('zeek', () => {
  const HTTP = [
    '#separator \\x09', '#set_separator\t,', '#empty_field\t(empty)', '#unset_field\t-', '#path\thttp',
    '#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\ttrans_depth\tmethod\thost\turi\tuser_agent\tstatus_code',
    '#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\tstring\tcount',
    '1781600402.250000\tC1\t10.0.0.15\t51560\t198.51.100.66\t80\t1\tPOST\tevil-c2.example\t/gate.php?id=42\tMozilla/4.0 (compatible; MSIE 6.0)\t200',
    '1781600405.000000\tC2\t10.0.0.18\t50000\t208.80.152.3\t80\t1\tGET\twww.example.org\t/\tcurl/8\t0',
  ];

  it('reads Zeek names, whether the reader moved them to a column or kept them', () => {
    const z = (sel: string): number[] => matched('product: zeek, service: http', sel, 'zeek.tsv', HTTP);
    expect(z('id.orig_h: 10.0.0.15')).toEqual([7]);
    expect(z('id.resp_p: 80')).toEqual([7, 8]);
    expect(z('method: POST\nhost: evil-c2.example\nuri|startswith: /gate.php')).toEqual([7]);
    expect(z('user_agent|contains: MSIE')).toEqual([7]);
    // Status 0 (no reply) is not a status column value but stays readable under its Zeek name.
    expect(z('status_code: 0')).toEqual([8]);
    expect(z('status_code: 200')).toEqual([7]);
    expect(z('destination.ip: 208.80.152.3')).toEqual([8]);
  });

  it('refuses a category for Zeek', () => {
    expect(resolveLogSource({ product: 'zeek', category: 'dns' })).toEqual({ error: expect.stringMatching(/read by service/) });
  });
});

it('refuses log sources Loupe does not read', () => {
  expect(resolveLogSource({ product: 'windows', service: 'security' })).toEqual({ error: expect.stringMatching(/is not supported/) });
  expect(resolveLogSource({ category: 'proxy' })).toEqual({ error: expect.stringMatching(/is not supported/) });
});
