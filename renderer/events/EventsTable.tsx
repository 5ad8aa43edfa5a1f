import type { StoredEventDto } from '../../shared/ipc/contract.ts';
import { formatTime } from '../format.ts';
import { LogText } from './LogText.tsx';

export function EventsTable({ events }: { events: readonly StoredEventDto[] }) {
  if (events.length === 0) return <p className="empty" data-testid="no-events">This case holds no events yet.</p>;
  return (
    <table className="grid events" data-testid="events">
      <thead>
        <tr>
          <th scope="col">Time (UTC)</th>
          <th scope="col">Dataset</th>
          <th scope="col">Source IP</th>
          <th scope="col">User</th>
          <th scope="col">Raw line</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-testid="event-row" data-event-id={e.id}>
            <td data-col="time" className="nowrap">{formatTime(e.ts)}</td>
            <td data-col="dataset">{e.dataset}</td>
            <td data-col="source-ip"><LogText text={e.srcIp ?? ''} /></td>
            <td data-col="user"><LogText text={e.user ?? ''} /></td>
            <td data-col="raw" className="raw"><code><LogText text={e.raw} /></code></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
