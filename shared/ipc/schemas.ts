/**
 * The zod schemas of the values that cross the IPC boundary. Requests are strict and bounded:
 * unknown keys are refused and every string has a length cap, because the renderer shows hostile
 * text and is not trusted to send well-formed arguments.
 */
import { z } from 'zod';

/** Longest path accepted: PATH_MAX on Linux. */
export const MAX_PATH_LENGTH = 4096;

export const filePath = z.string().min(1, 'must not be empty').max(MAX_PATH_LENGTH);
export const rowId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
/** UTC epoch milliseconds within what `Date` can represent. */
export const epochMs = z.number().int().min(-8.64e15).max(8.64e15);
const count = z.number().int().nonnegative();
const nonEmpty = (max: number) => z.string().min(1, 'must not be empty').max(max);

/** No argument: the function takes none. */
export const noRequest = z.undefined({ error: 'takes no argument' });

export const appInfoSchema = z.strictObject({
  name: z.string(),
  version: z.string(),
});

export const sourceInfoSchema = z.strictObject({
  id: rowId,
  path: z.string(),
  name: z.string(),
  sha256: z.string().nullable(),
  size: count,
  mtime: z.number(),
  compression: z.string().nullable(),
  format: z.string(),
  formatConfidence: z.number().nullable(),
  formatForced: z.boolean(),
  timezone: z.string(),
  assumptions: z.array(z.string()),
  lines: z.strictObject({
    total: count, parsed: count, unparsed: count, truncated: count, invalidUtf8: count,
  }),
  bytesRead: count,
  status: z.enum(['importing', 'complete', 'incomplete']),
  problem: z.string().nullable(),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  loupeVersion: z.string(),
});

export const caseSummarySchema = z.strictObject({
  path: z.string(),
  caseId: z.string(),
  /** Rows in the case: every line of every source (lines in = rows out). */
  eventCount: count,
  sources: z.array(sourceInfoSchema),
});

export const storedEventSchema = z.strictObject({
  id: rowId,
  ts: z.number().nullable(),
  sourceId: rowId,
  lineNo: count,
  offset: count,
  dataset: z.string(),
  raw: z.string(),
  flags: count,
  host: z.string().exactOptional(),
  program: z.string().exactOptional(),
  pid: z.number().exactOptional(),
  srcIp: z.string().exactOptional(),
  srcPort: z.number().exactOptional(),
  dstIp: z.string().exactOptional(),
  dstPort: z.number().exactOptional(),
  user: z.string().exactOptional(),
  action: z.string().exactOptional(),
  outcome: z.enum(['success', 'failure', 'unknown']).exactOptional(),
  httpMethod: z.string().exactOptional(),
  url: z.string().exactOptional(),
  httpVersion: z.string().exactOptional(),
  httpStatus: z.number().exactOptional(),
  httpBytes: z.number().exactOptional(),
  referrer: z.string().exactOptional(),
  userAgent: z.string().exactOptional(),
  message: z.string().exactOptional(),
  extra: z.record(z.string(), z.unknown()).exactOptional(),
});

export const eventFilterSchema = z.strictObject({
  /** Source or destination IP; 64 covers IPv6 with a zone id. */
  ip: nonEmpty(64).exactOptional(),
  user: nonEmpty(256).exactOptional(),
  from: epochMs.exactOptional(),
  to: epochMs.exactOptional(),
  text: z.string().max(1000).exactOptional(),
  sourceId: rowId.exactOptional(),
  dataset: nonEmpty(128).exactOptional(),
});

export const pageCursorSchema = z.strictObject({
  ts: epochMs.nullable(),
  id: rowId,
});

export const MAX_PAGE_SIZE = 1000;

export const importStartRequestSchema = z.strictObject({
  paths: z.array(filePath).min(1, 'give at least one file or folder').max(10_000),
  format: nonEmpty(64).exactOptional(),
  timezone: nonEmpty(64).exactOptional(),
  /** Per-file formats the analyst chose in the import view; they win over `format`. */
  formats: z.array(z.strictObject({ path: filePath, format: nonEmpty(64) })).max(10_000).exactOptional(),
});

export const importProgressSchema = z.strictObject({
  phase: z.enum(['reading', 'indexing', 'done']),
  file: z.string(),
  fileIndex: count,
  fileCount: count,
  bytesRead: count,
  bytesTotal: count,
  lines: count,
  linesPerSecond: count,
  etaSeconds: z.number().nonnegative().nullable(),
});

export const importResultSchema = z.strictObject({
  sources: z.array(sourceInfoSchema),
  skipped: z.array(z.strictObject({ path: z.string(), reason: z.string() })),
  cancelled: z.boolean(),
  lines: count,
  seconds: z.number().nonnegative(),
  /** Alerts in the case after the detection run that follows an import; absent when none ran. */
  detections: z.strictObject({ alerts: count, added: count }).exactOptional(),
});

export const importCancelResponseSchema = z.strictObject({
  /** False when no import was running. */
  cancelled: z.boolean(),
});

// ---- #4: the analyst's window ----------------------------------------------------------------

/** A case the app opened before (kept in the app's own settings, not in any case). */
export const recentCaseSchema = z.strictObject({
  path: z.string(),
  name: z.string(),
  openedAt: z.number(),
  /** False when the file is gone or unreadable now. */
  exists: z.boolean(),
});

export const pickCaseRequestSchema = z.strictObject({ purpose: z.enum(['open', 'create']) });
export const pickCaseResponseSchema = z.strictObject({ path: z.string().nullable() });
export const pickEvidenceRequestSchema = z.strictObject({ kind: z.enum(['files', 'folder']) });
export const pickEvidenceResponseSchema = z.strictObject({ paths: z.array(z.string()) });

/**
 * What the application menu asks the window to do. The menu lives in the main process; the page
 * carries the command out the way its own buttons do (e.g. pick a file, then open it).
 */
export const APP_COMMANDS = [
  'new-case', 'open-case', 'open-sample', 'import-evidence',
  'show-timeline', 'show-events', 'show-alerts', 'show-import', 'show-live', 'show-settings',
] as const;
export const appCommandSchema = z.strictObject({ command: z.enum(APP_COMMANDS) });

export const formatInfoSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  description: z.string(),
});

/** What an import would do with each file, before anything is written. */
export const importPreviewSchema = z.strictObject({
  files: z.array(z.strictObject({
    path: z.string(),
    name: z.string(),
    size: count,
    compression: z.string().nullable(),
    /** The detected format, or 'unparsed' when none matched. */
    format: z.string(),
    confidence: z.number().nullable(),
    /** Other formats that matched some sample lines, best first. */
    candidates: z.array(z.strictObject({ id: z.string(), confidence: z.number() })),
    /** The first lines, as text (hostile content is the renderer's to show as text). */
    sample: z.array(z.string()),
  })),
  skipped: z.array(z.strictObject({ path: z.string(), reason: z.string() })),
});

/**
 * The filter every view shares: the filter bar's query text (shared/query grammar), the brushed
 * time range, and pivots. All parts are ANDed.
 */
export const viewFilterSchema = eventFilterSchema.extend({
  /** Filter-bar text: words, "phrases", field:value, status>=400, ip:10.0.0.0/8, and/or/not, (). */
  query: z.string().max(4000).exactOptional(),
  host: nonEmpty(256).exactOptional(),
});

export const eventsPageRequestSchema = z.strictObject({
  filter: viewFilterSchema,
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
  after: pageCursorSchema.exactOptional(),
  /** Oldest first (the default) or newest first. */
  order: z.enum(['asc', 'desc']).exactOptional(),
});

export const eventsCountSchema = z.strictObject({
  count: count,
  /** False when counting stopped at a cap and `count` is a lower bound. */
  exact: z.boolean(),
});

const levelSchema = z.enum(['informational', 'low', 'medium', 'high', 'critical']);
export const alertStatusSchema = z.enum(['open', 'confirmed', 'false-positive']);
export const entityTypeSchema = z.enum(['ip', 'user', 'host']);

export const alertSchema = z.strictObject({
  id: rowId,
  rule: z.strictObject({
    id: z.string(),
    version: z.string().nullable(),
    kind: z.enum(['detection', 'correlation']),
    title: z.string(),
    level: levelSchema,
    author: z.string().nullable(),
    tags: z.array(z.string()),
  }),
  entity: z.strictObject({ type: z.enum(['ip', 'user', 'host', 'none']), value: z.string() }),
  first: z.number().nullable(),
  last: z.number().nullable(),
  firstEventId: rowId,
  count: count,
  status: alertStatusSchema,
  note: z.string().nullable(),
  /** Why it fired: the rule's selections and the field values that matched (see electron/detect/alert-build.ts). */
  why: z.unknown(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const eventDetailSchema = z.strictObject({
  event: storedEventSchema,
  source: sourceInfoSchema.nullable(),
  /** The exact bytes of a line that was not valid UTF-8, as hex; null for valid lines. */
  rawBytesHex: z.string().nullable(),
  alerts: z.array(alertSchema),
});

export const histogramRequestSchema = z.strictObject({
  filter: viewFilterSchema,
  stackBy: z.enum(['dataset', 'level']),
  /** About how many bars the chart has room for; the bucket size is chosen from the range. */
  targetBuckets: z.number().int().min(10).max(2000).exactOptional(),
});

export const histogramSchema = z.strictObject({
  /** The range covered, UTC ms; null bounds when the filter matches no timed event. */
  from: z.number().nullable(),
  to: z.number().nullable(),
  bucketMs: z.number().int().positive(),
  /** Stack names, most events first; `buckets[].counts` are in this order. */
  series: z.array(z.string()),
  buckets: z.array(z.strictObject({ start: z.number(), counts: z.array(count) })),
  total: count,
  /** Events that match but have no time, so are on no bar. */
  untimed: count,
});

export const alertsListRequestSchema = z.strictObject({
  status: alertStatusSchema.exactOptional(),
  level: levelSchema.exactOptional(),
  ruleId: nonEmpty(256).exactOptional(),
  entity: z.strictObject({ type: entityTypeSchema, value: nonEmpty(256) }).exactOptional(),
  from: epochMs.exactOptional(),
  to: epochMs.exactOptional(),
});

export const alertDetailSchema = z.strictObject({
  alert: alertSchema,
  /** Contributing events in time order (the first 1000). */
  events: z.array(storedEventSchema),
});

export const setAlertStatusRequestSchema = z.strictObject({
  id: rowId,
  status: alertStatusSchema,
  /** Null clears the note; absent keeps it. */
  note: z.string().max(10_000).nullable().exactOptional(),
});

const topN = z.array(z.strictObject({ value: z.string(), count: count }));

export const dossierRequestSchema = z.strictObject({
  type: entityTypeSchema,
  value: nonEmpty(256),
  /** Narrows counts and the timeline to a range; first/last seen are always over the whole case. */
  from: epochMs.exactOptional(),
  to: epochMs.exactOptional(),
});

export const dossierSchema = z.strictObject({
  type: entityTypeSchema,
  value: z.string(),
  total: count,
  firstSeen: z.number().nullable(),
  lastSeen: z.number().nullable(),
  perSource: z.array(z.strictObject({
    sourceId: rowId, name: z.string(), count: count, first: z.number().nullable(), last: z.number().nullable(),
  })),
  byDataset: topN,
  byAction: topN,
  byOutcome: topN,
  byStatus: topN,
  /** For an IP: users it tried; for a host: users seen on it. */
  users: topN,
  /** IPs seen with this user or host (or, for an IP, as the other end). */
  ips: topN,
  hosts: topN,
  urls: topN,
  userAgents: topN,
  timeline: z.strictObject({
    bucketMs: z.number().int().positive(),
    buckets: z.array(z.strictObject({ start: z.number(), count: count })),
  }),
  alerts: z.array(alertSchema),
  /**
   * Present when users, IPs, hosts, URLs and user agents were counted in an evenly spread sample
   * of the entity's events (a busy one); every other figure is exact.
   */
  sample: z.strictObject({ events: count, of: count }).exactOptional(),
});

// ---- live syslog -------------------------------------------------------------------------------

export const SYSLOG_TRANSPORTS = ['udp', 'tcp', 'tls'] as const;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1)$/;

/** A listener to start: an IP address (not a name, which could resolve to any interface) and a port. */
export const syslogListenerRequestSchema = z.strictObject({
  transport: z.enum(SYSLOG_TRANSPORTS),
  host: z.string().min(2).max(45).regex(/^[0-9a-fA-F.:]+$/, 'must be an IP address such as 127.0.0.1').default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(5514),
  /** TLS: the analyst's certificate and key; without them Loupe makes (and keeps) a self-signed pair. */
  certPath: filePath.optional(),
  keyPath: filePath.optional(),
});

export const syslogStartRequestSchema = z.strictObject({
  listeners: z.array(syslogListenerRequestSchema).min(1, 'choose at least one transport').max(3),
  /** Binding anything but loopback lets other machines send: the request must say it means it. */
  allowNonLoopback: z.boolean().default(false),
  timezone: z.string().min(1).max(64).optional(),
}).superRefine((r, ctx) => {
  r.listeners.forEach((l, i) => {
    if (!r.allowNonLoopback && !LOOPBACK.test(l.host)) {
      ctx.addIssue({ code: 'custom', path: ['listeners', i, 'host'], message: `${l.host} is not loopback: binding it lets other machines send, so say so (allowNonLoopback)` });
    }
    if ((l.certPath === undefined) !== (l.keyPath === undefined) || (l.transport !== 'tls' && l.certPath !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['listeners', i], message: 'a certificate and its key go together, and only with TLS' });
    }
  });
});

export const syslogStopRequestSchema = z.strictObject({
  /** One listener (its URL), or every one when left out. */
  id: z.string().min(1).max(200).optional(),
});

const syslogCounters = {
  received: count, stored: count, truncated: count, malformed: count, invalidUtf8: count, bytes: count,
  /** Stored messages stamped over two minutes ahead of their receive time, and the largest lead (ms). */
  ahead: count, maxLeadMs: count,
};

export const syslogPeerSchema = z.strictObject({
  address: z.string(),
  ...syslogCounters,
  connections: count,
  tlsFailures: count,
  firstAt: z.number(),
  lastAt: z.number(),
});

export const syslogListenerSchema = z.strictObject({
  id: z.string(),
  url: z.string(),
  transport: z.enum(SYSLOG_TRANSPORTS),
  host: z.string(),
  port: z.number().int().min(0).max(65535),
  /** The IANA zone RFC 3164 times (sent without an offset) are read in. */
  timezone: z.string(),
  state: z.enum(['listening', 'stopped']),
  problem: z.string().nullable(),
  startedAt: z.number(),
  stoppedAt: z.number().nullable(),
  totals: z.strictObject({
    ...syslogCounters,
    kernelDrops: count.nullable(),
    queueDrops: count,
    connections: count,
    openConnections: count,
    tlsFailures: count,
    queued: count,
  }),
  tls: z.strictObject({ fingerprint256: z.string(), selfSigned: z.boolean(), certPath: z.string(), validTo: z.string() }).nullable(),
  peers: z.array(syslogPeerSchema),
  forwarding: z.strictObject({ target: z.string(), rsyslog: z.array(z.string()), syslogNg: z.array(z.string()) }),
});

export const syslogStatusSchema = z.strictObject({
  /** The case the listeners write into; null when none ever started in this session. */
  casePath: z.string().nullable(),
  live: z.boolean(),
  listeners: z.array(syslogListenerSchema),
  /** Live detections: on or off, and the alert rows they wrote so far. */
  detections: z.strictObject({ enabled: z.boolean(), alertWrites: count }),
  backpressure: z.boolean(),
});
