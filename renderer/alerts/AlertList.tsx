import { useState } from 'react';
import type { AlertDto } from '../../shared/ipc/contract.ts';
import { LogText } from '../events/LogText.tsx';
import { formatCount, formatTime } from '../format.ts';
import type { AlertGroup, GroupBy } from './group.ts';
import { LevelBadge } from './LevelBadge.tsx';

interface Props {
  groups: readonly AlertGroup[];
  by: GroupBy;
  selectedId: number | null;
  onSelect(id: number): void;
}

const plural = (n: number, noun: string): string => `${formatCount(n)} ${noun}${n === 1 ? '' : 's'}`;

/**
 * Rows a group shows before a "show more" button: a campaign can raise tens of thousands of alerts
 * (one per source address), and a list of that many rows would freeze the window.
 */
export const ROWS_PER_STEP = 200;

const STATUS_TEXT: Record<AlertDto['status'], string> = { open: 'open', confirmed: 'confirmed', 'false-positive': 'false positive' };

/** Alerts in collapsible groups with their counts. */
export function AlertList({ groups, by, selectedId, onSelect }: Props) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [shown, setShown] = useState<ReadonlyMap<string, number>>(new Map());
  const showMore = (key: string): void => setShown((m) => new Map(m).set(key, (m.get(key) ?? ROWS_PER_STEP) + ROWS_PER_STEP));
  const toggle = (key: string): void => setCollapsed((c) => {
    const next = new Set(c);
    if (!next.delete(key)) next.add(key);
    return next;
  });
  return (
    <div className="alerts-list" data-testid="alert-list">
      {groups.map((g) => {
        const open = !collapsed.has(g.key);
        const limit = shown.get(g.key) ?? ROWS_PER_STEP;
        // The selected alert stays listed, wherever it is in its group.
        const rows = g.alerts.filter((a, i) => i < limit || a.id === selectedId);
        const hidden = g.alerts.length - rows.length;
        return (
          <section key={g.key} className="alert-group" data-testid="alert-group" data-group={g.label}>
            <button type="button" className="group-head" aria-expanded={open} onClick={() => toggle(g.key)}>
              <span className="chevron" aria-hidden="true">{open ? '▾' : '▸'}</span>
              <LevelBadge level={g.level} />
              <span className="group-label" data-testid="group-label">
                {g.by === 'entity' && g.alerts[0]?.entity.type !== 'none' && <span className="muted">{g.alerts[0]?.entity.type} </span>}
                <LogText text={g.label} />
              </span>
              <span className="group-counts muted" data-testid="group-counts">
                {plural(g.alerts.length, 'alert')} · {formatCount(g.open)} open · {plural(g.events, 'event')}
              </span>
            </button>
            {open && (
              <ul role="listbox" aria-label={g.label}>
                {rows.map((a) => (
                  <li
                    key={a.id}
                    role="option"
                    aria-selected={a.id === selectedId}
                    className="alert-row"
                    data-testid="alert-row"
                    data-alert-id={a.id}
                    data-status={a.status}
                    onClick={() => onSelect(a.id)}
                  >
                    {by !== 'level' && <LevelBadge level={a.rule.level} />}
                    <span className="alert-what">
                      {by !== 'rule' && <span className="alert-rule"><LogText text={a.rule.title} /></span>}
                      {by !== 'entity' && (
                        <span className="alert-entity">
                          {a.entity.type === 'none' ? <span className="muted">no entity</span> : <><span className="muted">{a.entity.type}</span> <LogText text={a.entity.value} /></>}
                        </span>
                      )}
                    </span>
                    <span className="num muted" title="events">{formatCount(a.count)}</span>
                    <span className="nowrap muted">{formatTime(a.first)}</span>
                    <span className={`status status-${a.status}`} data-testid="alert-status">{STATUS_TEXT[a.status]}</span>
                  </li>
                ))}
              </ul>
            )}
            {open && hidden > 0 && (
              <button type="button" className="link show-more" data-testid="alerts-show-more" onClick={() => showMore(g.key)}>
                Show {formatCount(Math.min(hidden, ROWS_PER_STEP))} more of {plural(hidden, 'hidden alert')}
              </button>
            )}
          </section>
        );
      })}
    </div>
  );
}
