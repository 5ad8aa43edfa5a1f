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

export const queryPageRequestSchema = z.strictObject({
  filter: eventFilterSchema,
  limit: z.number().int().min(1).max(MAX_PAGE_SIZE),
  after: pageCursorSchema.exactOptional(),
});

export const importStartRequestSchema = z.strictObject({
  paths: z.array(filePath).min(1, 'give at least one file or folder').max(10_000),
  format: nonEmpty(64).exactOptional(),
  timezone: nonEmpty(64).exactOptional(),
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
});

export const importCancelResponseSchema = z.strictObject({
  /** False when no import was running. */
  cancelled: z.boolean(),
});
