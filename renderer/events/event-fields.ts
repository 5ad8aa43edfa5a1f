/**
 * The event fields the grid and the detail pane show: label, ECS name, how to read the value,
 * and whether the value is an entity the analyst can pivot on.
 */
import { ECS_FIELDS } from '../../shared/event.ts';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import type { EntityType } from '../app/app-state.tsx';

export type FieldKey = keyof typeof ECS_FIELDS;

export interface EventField {
  key: FieldKey;
  /** Kebab-case id, used as the grid's column id and the cells' data-col. */
  id: string;
  label: string;
  ecs: string;
  pivot?: EntityType;
  numeric?: boolean;
  /** The filter-bar field that selects this value, when there is one. */
  queryField?: string;
}

const field = (key: FieldKey, id: string, label: string, extra: Partial<EventField> = {}): EventField =>
  ({ key, id, label, ecs: ECS_FIELDS[key], ...extra });

export const EVENT_FIELDS: readonly EventField[] = [
  field('ts', 'time', 'Time (UTC)'),
  field('dataset', 'dataset', 'Dataset', { queryField: 'dataset' }),
  field('host', 'host', 'Host', { pivot: 'host', queryField: 'host' }),
  field('program', 'program', 'Program', { queryField: 'program' }),
  field('pid', 'pid', 'PID', { numeric: true, queryField: 'pid' }),
  field('srcIp', 'source-ip', 'Source IP', { pivot: 'ip', queryField: 'src' }),
  field('srcPort', 'source-port', 'Src port', { numeric: true, queryField: 'src_port' }),
  field('dstIp', 'destination-ip', 'Destination IP', { pivot: 'ip', queryField: 'dst' }),
  field('dstPort', 'destination-port', 'Dst port', { numeric: true, queryField: 'dst_port' }),
  field('user', 'user', 'User', { pivot: 'user', queryField: 'user' }),
  field('action', 'action', 'Action', { queryField: 'action' }),
  field('outcome', 'outcome', 'Outcome', { queryField: 'outcome' }),
  field('httpMethod', 'method', 'Method', { queryField: 'method' }),
  field('url', 'url', 'URL', { queryField: 'url' }),
  field('httpVersion', 'http-version', 'HTTP version', { queryField: 'version' }),
  field('httpStatus', 'status', 'Status', { numeric: true, queryField: 'status' }),
  field('httpBytes', 'bytes', 'Bytes', { numeric: true, queryField: 'bytes' }),
  field('referrer', 'referrer', 'Referrer', { queryField: 'referrer' }),
  field('userAgent', 'user-agent', 'User agent', { queryField: 'ua' }),
  field('message', 'message', 'Message', { queryField: 'message' }),
];

/** A field's value as text; '' when the event does not have it. */
export function fieldText(event: StoredEventDto, key: FieldKey): string {
  const value = event[key];
  return value === undefined || value === null ? '' : String(value);
}
