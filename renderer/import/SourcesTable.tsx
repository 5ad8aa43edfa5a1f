import type { SourceInfoDto } from '../../shared/ipc/contract.ts';
import { LogText } from '../events/LogText.tsx';
import { formatConfidence, formatCount } from '../format.ts';

/** Sources with their line counts and hashes: what an analyst quotes in a report. */
export function SourcesTable({ sources, testId = 'sources' }: { sources: readonly SourceInfoDto[]; testId?: string }) {
  if (sources.length === 0) return <p className="empty" data-testid="no-sources">No files have been imported into this case.</p>;
  return (
    <table className="grid sources" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Format</th>
          <th scope="col">Timezone</th>
          <th scope="col" className="num">Lines</th>
          <th scope="col" className="num">Parsed</th>
          <th scope="col" className="num">Unparsed</th>
          <th scope="col" className="num">Truncated</th>
          <th scope="col">SHA-256</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {sources.map((s) => (
          <tr key={s.id} data-testid="source-row" data-source-id={s.id}>
            <td data-col="name" title={s.path}><LogText text={s.name} /></td>
            <td data-col="format">
              {s.format} <span className="muted" data-col="confidence">({formatConfidence(s.formatConfidence, s.formatForced)})</span>
            </td>
            <td data-col="timezone">{s.timezone}</td>
            <td data-col="lines-total" className="num">{formatCount(s.lines.total)}</td>
            <td data-col="lines-parsed" className="num">{formatCount(s.lines.parsed)}</td>
            <td data-col="lines-unparsed" className="num">{formatCount(s.lines.unparsed)}</td>
            <td data-col="lines-truncated" className="num">{formatCount(s.lines.truncated)}</td>
            <td data-col="sha256"><code>{s.sha256 ?? '—'}</code></td>
            <td data-col="status">
              {s.status}
              {s.problem !== null && <div className="problem" data-col="problem"><LogText text={s.problem} /></div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
