/**
 * The grid's columns, one per event field plus where the line came from and the raw line. Which
 * are shown is remembered for as long as the app runs.
 */
import { useState } from 'react';
import {
  columnResizingFeature, columnSizingFeature, columnVisibilityFeature, tableFeatures, type ColumnDef, type ColumnSizingState,
  type ColumnVisibilityState,
} from '@tanstack/react-table';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import { useAppState } from '../app/app-state.tsx';
import { formatTime } from '../format.ts';
import { INTEL_COLUMNS, IntelCell, intelValue } from '../intel/intel-columns.tsx';
import { EVENT_FIELDS, fieldText, type EventField } from './event-fields.ts';
import { LogText } from './LogText.tsx';
import { FilterToValue, PivotValue } from './PivotValue.tsx';

interface GridColumnMeta {
  numeric?: boolean;
}

export const gridFeatures = tableFeatures({
  columnVisibilityFeature, columnSizingFeature, columnResizingFeature, columnMeta: {} as GridColumnMeta,
});
type GridColumn = ColumnDef<typeof gridFeatures, StoredEventDto, unknown>;

/** Column widths in px; the last shown column takes what is left. */
const WIDTH: Record<string, number> = {
  time: 196, dataset: 110, host: 110, program: 90, pid: 60, 'source-ip': 130, 'source-port': 70,
  'destination-ip': 130, 'destination-port': 70, user: 100, action: 110, outcome: 72, method: 64, url: 260,
  'http-version': 76, status: 56, bytes: 70, referrer: 200, 'user-agent': 220, message: 320, source: 120,
  line: 64, raw: 480,
};

function fieldColumn(f: EventField): GridColumn {
  return {
    id: f.id,
    header: f.label,
    size: WIDTH[f.id] ?? 120,
    minSize: 40,
    meta: { numeric: f.numeric === true },
    enableHiding: f.key !== 'ts',
    accessorFn: (e) => e[f.key],
    cell: ({ row }) => {
      const text = fieldText(row.original, f.key);
      if (f.key === 'ts') return formatTime(row.original.ts);
      if (text === '') return null;
      if (!f.pivot) return <LogText text={text} />;
      return (
        <>
          <PivotValue type={f.pivot} value={text} />
          {f.queryField ? <FilterToValue field={f.queryField} value={text} /> : null}
        </>
      );
    },
  };
}

export const GRID_COLUMNS: GridColumn[] = [
  ...EVENT_FIELDS.map(fieldColumn),
  {
    id: 'source', header: 'Source file', size: WIDTH['source'] ?? 120, accessorFn: (e) => e.sourceId,
    cell: ({ row }) => <SourceName id={row.original.sourceId} />,
  },
  { id: 'line', header: 'Line', size: WIDTH['line'] ?? 64, meta: { numeric: true }, accessorFn: (e) => e.lineNo },
  ...INTEL_COLUMNS.map((c): GridColumn => ({
    id: c.id, header: c.header, size: c.size, minSize: 40, accessorFn: (e) => intelValue(e, c.end),
    cell: ({ row }) => <IntelCell event={row.original} column={c} />,
  })),
  {
    id: 'raw', header: 'Raw line', size: WIDTH['raw'] ?? 480, accessorFn: (e) => e.raw,
    cell: ({ row }) => <LogText text={row.original.raw} />,
  },
];

function SourceName({ id }: { id: number }) {
  const { caseSummary } = useAppState();
  const name = caseSummary?.sources.find((s) => s.id === id)?.name;
  return <LogText text={name ?? `#${id}`} />;
}

const DEFAULT_SHOWN = new Set(['time', 'dataset', 'host', 'source-ip', 'user', 'action', 'outcome', 'status', 'raw']);
let rememberedVisibility: ColumnVisibilityState =
  Object.fromEntries(GRID_COLUMNS.map((c) => [c.id ?? '', DEFAULT_SHOWN.has(c.id ?? '')]));

let rememberedSizing: ColumnSizingState = {};

/** Which columns are shown and how wide, kept across views for the life of the window. */
export function useColumnLayout(): ColumnLayout {
  const [visibility, setVisibility] = useState(rememberedVisibility);
  const [sizing, setSizing] = useState(rememberedSizing);
  return {
    visibility,
    sizing,
    setVisibility: (next) => {
      rememberedVisibility = next;
      setVisibility(next);
    },
    setSizing: (next) => {
      rememberedSizing = next;
      setSizing(next);
    },
  };
}

export interface ColumnLayout {
  visibility: ColumnVisibilityState;
  sizing: ColumnSizingState;
  setVisibility(next: ColumnVisibilityState): void;
  setSizing(next: ColumnSizingState): void;
}

export function cellClass(meta: GridColumnMeta | undefined): string {
  return meta?.numeric ? 'events-cell num' : 'events-cell';
}
