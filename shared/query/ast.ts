/** The filter bar's query as a tree; every node keeps where it was written, for messages. */
import type { Cidr } from '../sigma/ip.ts';
import type { EventLevel } from './level.ts';
import type { FieldName } from './fields.ts';

export interface Span {
  /** Offset of the node's first character in the query text. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

export type QueryNode = AndNode | OrNode | NotNode | TextNode | TermNode;

export interface AndNode extends Span {
  kind: 'and';
  children: QueryNode[];
}

export interface OrNode extends Span {
  kind: 'or';
  children: QueryNode[];
}

export interface NotNode extends Span {
  kind: 'not';
  child: QueryNode;
}

/** A bare word or a "quoted phrase": somewhere in the raw line, in any case; `*` in a word matches anything. */
export interface TextNode extends Span {
  kind: 'text';
  text: string;
  phrase: boolean;
}

export type CompareOp = '=' | '>' | '>=' | '<' | '<=';

/** What a `field:value` or `field>=n` term asks of its field. */
export type Test =
  /** Equal to the text (text fields, source names). */
  | { type: 'equals'; value: string }
  /** Matches a pattern where `*` is any run of characters. */
  | { type: 'pattern'; pattern: string }
  | { type: 'compare'; op: CompareOp; value: number }
  /** A number whose digits match a pattern (`status:4*`). */
  | { type: 'digits'; pattern: string }
  | { type: 'ip'; value: string }
  | { type: 'cidr'; cidr: Cidr }
  | { type: 'level'; level: EventLevel }
  /** A source by id. */
  | { type: 'id'; id: number };

export interface TermNode extends Span {
  kind: 'term';
  field: FieldName;
  test: Test;
}
