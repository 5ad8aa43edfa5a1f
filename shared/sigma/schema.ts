/**
 * zod schemas of Sigma rule documents: the metadata and the shape of a `correlation:` section
 * (https://github.com/SigmaHQ/sigma-specification, JSON schemas). The detection section is read
 * by hand in `detection.ts`, because its keys are the rule's own names. Unknown keys are kept:
 * Sigma has many optional ones, and `x-` keys are vendor extensions.
 */
import { z } from 'zod';
import { LEVELS } from './types.ts';

const text = z.string().min(1, 'must not be empty');
/** Sigma lets a one-item list be written as a plain string. */
const textList = z.union([text.transform((s) => [s]), z.array(text)]);
/** YAML reads `id: 12` or `date: 2024` as numbers; they are names here. */
const name = z.union([text, z.number().transform(String)]);

export const testsSchema = z.object({
  format: text,
  match: z.array(z.string()).default([]),
  nomatch: z.array(z.string()).default([]),
  /** Lists the lines are judged against (`iplist` rules): list name → addresses and networks. */
  lists: z.record(z.string(), z.array(z.string())).exactOptional(),
}).strict();

export const metaSchema = z.looseObject({
  title: text.max(256, 'longer than 256 characters'),
  id: name.optional(),
  name: name.optional(),
  status: text.optional(),
  description: z.string().optional(),
  author: z.union([z.string(), z.array(z.string()).transform((a) => a.join(', '))]).optional(),
  date: name.optional(),
  modified: name.optional(),
  level: z.enum(LEVELS).optional(),
  tags: textList.optional(),
  references: textList.optional(),
  falsepositives: textList.optional(),
  'x-loupe-tests': testsSchema.optional(),
});

export const logsourceSchema = z.looseObject({
  product: text.optional(),
  category: text.optional(),
  service: text.optional(),
  definition: z.string().optional(),
});

const bound = z.number();

export const correlationSchema = z.object({
  type: z.enum(['event_count', 'value_count', 'temporal', 'temporal_ordered']),
  rules: textList,
  'group-by': textList.optional(),
  timespan: text.regex(/^\d+[smhdw]$/, 'must be a number and a unit (s, m, h, d or w), e.g. 10m'),
  condition: z.object({ gt: bound, gte: bound, lt: bound, lte: bound, eq: bound, field: text }).partial().strict().optional(),
  aliases: z.record(z.string(), z.record(z.string(), text)).optional(),
  generate: z.boolean().optional(),
}).strict();

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `10m` → 600000. */
export function timespanMs(span: string): number | undefined {
  const m = /^(\d+)([smhdw])$/.exec(span);
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : undefined;
}

/** `detection.selection: expected string` from a zod error, naming the first problem's field. */
export function describeZodError(err: z.ZodError, prefix = ''): string {
  const issue = err.issues[0];
  if (!issue) return 'invalid';
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
  return path === '' ? issue.message : `field "${path}": ${issue.message}`;
}
