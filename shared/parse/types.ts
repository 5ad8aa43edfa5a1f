import type { ParsedEvent } from '../event.ts';

/** What a parser may know about the file it reads. */
export interface ParseContext {
  /** IANA zone applied to timestamps that carry no offset (default `UTC`). */
  timezone: string;
  /**
   * Epoch ms the file is known to end by (its mtime); used to infer the year of timestamps that
   * omit it (RFC 3164 syslog). A line dated after this moment belongs to the previous year.
   */
  referenceTime: number;
}

/**
 * Parses the lines of one file, in order. Parsers may keep state between lines (a CSV header,
 * Zeek's `#fields`, the year of the previous syslog line).
 */
export interface LineParser {
  /** The fields of the line, or null when this format does not understand it (kept as unparsed). */
  parse(line: string): ParsedEvent | null;
  /** Assumptions made so far, in words, stored on the source (e.g. the inferred year). */
  assumptions?(): string[];
}

export interface LogFormat {
  /** Stable id, used on the command line (`--format apache.access`) and stored on the source. */
  id: string;
  title: string;
  /** One sentence for the analyst choosing a format: what the format covers. */
  description: string;
  /**
   * How well a sample of the file's first lines fits, 0..1. Ties go to the format listed first
   * in the registry, so specific formats are listed before general ones.
   */
  detect(sample: readonly string[], ctx: ParseContext): number;
  create(ctx: ParseContext): LineParser;
}
