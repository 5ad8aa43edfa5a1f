/**
 * The grid's IP intelligence columns: each end's class (worked out here, offline, for every
 * address), country, network and lists (from the case, via ip-summaries.tsx). Each value can
 * narrow the filter to it, with the filter bar's intel fields.
 */
import type { ReactNode } from 'react';
import { classifyIp } from '../../shared/intel/classify.ts';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import { LogText } from '../events/LogText.tsx';
import { FilterToValue } from '../events/PivotValue.tsx';
import { useIpSummary } from './ip-summaries.tsx';

type End = 'source' | 'destination';
type Kind = 'class' | 'country' | 'asn' | 'lists';

export interface IntelColumn {
  id: string;
  header: string;
  size: number;
  end: End;
  kind: Kind;
}

const HEAD: Record<End, string> = { source: 'Src', destination: 'Dst' };
const FIELD: Record<End, string> = { source: 'src', destination: 'dst' };
const LABEL: Record<Kind, string> = { class: 'class', country: 'country', asn: 'ASN', lists: 'on lists' };
const SIZE: Record<Kind, number> = { class: 80, country: 70, asn: 200, lists: 150 };

export const INTEL_COLUMNS: readonly IntelColumn[] = (['source', 'destination'] as const).flatMap((end) =>
  (['class', 'country', 'asn', 'lists'] as const).map((kind) => ({
    id: `${end}-${kind === 'lists' ? 'lists' : kind}`, header: `${HEAD[end]} ${LABEL[kind]}`, size: SIZE[kind], end, kind,
  })));

/** Columns whose values come from the engine (class does not). */
export const FETCHED_INTEL_COLUMNS: ReadonlySet<string> = new Set(INTEL_COLUMNS.filter((c) => c.kind !== 'class').map((c) => c.id));

export function intelValue(e: StoredEventDto, end: End): string | null {
  return (end === 'source' ? e.srcIp : e.dstIp) ?? null;
}

export function IntelCell({ event, column }: { event: StoredEventDto; column: IntelColumn }): ReactNode {
  const ip = intelValue(event, column.end);
  const summary = useIpSummary(column.kind === 'class' ? null : ip);
  if (!ip) return null;
  const field = `${FIELD[column.end]}_${column.kind === 'lists' ? 'list' : column.kind}`;
  switch (column.kind) {
    case 'class': {
      const category = classifyIp(ip)?.category ?? 'invalid';
      return <><span data-value={category}>{category}</span><FilterToValue field={field} value={category} /></>;
    }
    case 'country':
      return summary?.country ? <><span data-value={summary.country}><LogText text={summary.country} /></span><FilterToValue field={field} value={summary.country} /></> : null;
    case 'asn':
      return summary?.asn != null
        ? <><span data-value={summary.asn}>AS{summary.asn}{summary.asOrg ? <> <LogText text={summary.asOrg} /></> : null}</span><FilterToValue field={field} value={String(summary.asn)} /></>
        : null;
    case 'lists':
      // One "filter to" per cell (it sits at the cell's right edge): the first list.
      return summary && summary.lists.length > 0
        ? <><span data-value={summary.lists.join(',')}><LogText text={summary.lists.join(', ')} /></span><FilterToValue field={field} value={summary.lists[0]!} /></>
        : null;
    default:
      return column.kind satisfies never;
  }
}
