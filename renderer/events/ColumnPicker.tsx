import type { Column } from '@tanstack/react-table';
import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import type { gridFeatures } from './grid-columns.tsx';

/** The list of columns with a checkbox each. */
export function ColumnPicker({ columns }: { columns: Column<typeof gridFeatures, StoredEventDto, unknown>[] }) {
  return (
    <details className="column-picker" data-testid="column-picker">
      <summary>Columns</summary>
      <div className="column-picker-list">
        {columns.map((c) => (
          <label key={c.id} data-col={c.id}>
            <input type="checkbox" checked={c.getIsVisible()} disabled={!c.getCanHide()} onChange={(e) => c.toggleVisibility(e.target.checked)} />
            {typeof c.columnDef.header === 'string' ? c.columnDef.header : c.id}
          </label>
        ))}
      </div>
    </details>
  );
}
