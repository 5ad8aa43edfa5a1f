import { describe, expect, it } from 'vitest';
import { detectFormat } from '../detect.ts';
import { FORMATS } from '../registry.ts';
import type { ParseContext } from '../types.ts';
import { format } from './zeek-json.ts';

const ctx: ParseContext = { timezone: 'UTC', referenceTime: Date.UTC(2026, 5, 30) };
const parse = (line: string) => format.create(ctx).parse(line);

const CONN = '{"ts":1781600400.5,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":5000,"id.resp_h":"10.0.0.2","id.resp_p":443,"proto":"tcp","service":"ssl","duration":1.5,"conn_state":"SF"}';
const DNS = '{"ts":1781600401.0,"uid":"C2","id.orig_h":"10.0.0.1","id.orig_p":5001,"id.resp_h":"10.0.0.53","id.resp_p":53,"proto":"udp","query":"example.com","qtype_name":"A","rcode_name":"NOERROR"}';
const HTTP = '{"ts":1781600402.0,"uid":"C3","id.orig_h":"10.0.0.1","id.orig_p":5002,"id.resp_h":"10.0.0.80","id.resp_p":80,"trans_depth":1,"method":"GET","host":"example.com","uri":"/a?b=1","user_agent":"curl/8","referrer":"http://r/","status_code":200,"response_body_len":10}';
const SSH = '{"ts":1781600403.0,"uid":"C4","id.orig_h":"10.0.0.9","id.orig_p":5003,"id.resp_h":"10.0.0.22","id.resp_p":22,"auth_success":false,"auth_attempts":3,"client":"SSH-2.0-x","server":"SSH-2.0-y"}';

describe('Zeek JSON parser', () => {
  it('infers the log from the fields and maps the connection', () => {
    expect(parse(CONN)).toMatchObject({
      ts: 1781600400500, dataset: 'zeek.conn', srcIp: '10.0.0.1', srcPort: 5000, dstIp: '10.0.0.2', dstPort: 443,
      extra: { uid: 'C1', proto: 'tcp', service: 'ssl', duration: 1.5, conn_state: 'SF' },
    });
    expect(parse(DNS)?.dataset).toBe('zeek.dns');
    expect(parse(SSH)).toMatchObject({ dataset: 'zeek.ssh', outcome: 'failure' });
  });

  it('maps http fields and builds the url from host and uri', () => {
    const e = parse(HTTP);
    expect(e).toMatchObject({
      dataset: 'zeek.http', httpMethod: 'GET', url: 'example.com/a?b=1', httpStatus: 200, userAgent: 'curl/8',
      referrer: 'http://r/', httpBytes: 10,
    });
    expect(e?.extra).toMatchObject({ host: 'example.com', uri: '/a?b=1' });
    expect(e?.extra).not.toHaveProperty('method');
    expect(e?.extra).not.toHaveProperty('id.orig_h');
  });

  it('uses _path when present, reads ISO and masked times, and nested id objects', () => {
    expect(parse('{"_path":"conn_long","ts":"2026-06-16T09:00:00.5Z","uid":"C9"}')).toMatchObject({ dataset: 'zeek.conn_long', ts: Date.UTC(2026, 5, 16, 9, 0, 0, 500) });
    expect(parse('{"ts":XXXXXXXXXX.XXXXXX,"uid":"C9","id.orig_h":"10.0.0.1"}')).toMatchObject({ ts: null, srcIp: '10.0.0.1' });
    expect(parse('{"ts":1781600400,"uid":"C9","id":{"orig_h":"10.0.0.7","resp_p":53}}')).toMatchObject({ srcIp: '10.0.0.7', dstPort: 53 });
  });

  it('falls back to dataset zeek for unknown logs and refuses JSON that is not Zeek', () => {
    expect(parse('{"ts":1781600400,"uid":"C9","custom":1}')?.dataset).toBe('zeek');
    expect(parse('{"ts":1781600400,"message":"hello"}')).toBeNull();
    expect(parse('{"uid":"C9","id.orig_h":"10.0.0.1"}')).toBeNull();
    expect(parse('not json')).toBeNull();
  });

  it('wins detection over generic JSON on Zeek lines, and loses it on other JSON', () => {
    expect(detectFormat(FORMATS, [CONN, DNS, HTTP, SSH], ctx)?.format.id).toBe('zeek.json');
    const generic = ['{"ts":1781600400,"level":"info","msg":"started"}', '{"ts":1781600401,"level":"warn","msg":"slow"}'];
    expect(detectFormat(FORMATS, generic, ctx)?.format.id).toBe('json');
  });
});
