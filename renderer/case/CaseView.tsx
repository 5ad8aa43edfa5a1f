import type { CaseSummary, StoredEventDto } from '../../shared/ipc/contract.ts';
import { EventsTable } from '../events/EventsTable.tsx';
import { formatCount } from '../format.ts';
import { LogText } from '../events/LogText.tsx';
import { SourcesTable } from './SourcesTable.tsx';

export function CaseView({ summary, events }: { summary: CaseSummary; events: readonly StoredEventDto[] }) {
  return (
    <>
      <header className="case-header">
        <h2 data-testid="case-title"><LogText text={summary.path} /></h2>
        <p className="muted">
          case <code>{summary.caseId}</code> · <span data-testid="event-count">{formatCount(summary.eventCount)}</span> events
          from {formatCount(summary.sources.length)} source(s)
        </p>
      </header>
      <section aria-labelledby="sources-heading">
        <h3 id="sources-heading">Sources</h3>
        <SourcesTable sources={summary.sources} />
      </section>
      <section aria-labelledby="events-heading">
        <h3 id="events-heading">
          Events <span className="muted">(first {formatCount(events.length)} in time order)</span>
        </h3>
        <EventsTable events={events} />
      </section>
    </>
  );
}
