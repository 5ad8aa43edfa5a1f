import { LogText } from '../events/LogText.tsx';
import { formatCount } from '../format.ts';
import { parseWhy, thresholdText, type FieldMatch, type SelectionWhy } from './why.ts';

/** Why an alert fired, in words and values: all of it text, as it comes from the logs. */
export function WhyItFired({ why }: { why: unknown }) {
  const w = parseWhy(why);
  switch (w.kind) {
    case 'detection':
      return (
        <div className="why" data-testid="why" data-kind="detection">
          <p>
            The rule&apos;s condition <code data-testid="why-condition"><LogText text={w.condition} /></code> held
            {w.selections.length > 0 && <> through <Selections names={w.selections} /></>}.
          </p>
          <Matches matches={w.matches} />
        </div>
      );
    case 'correlation':
      return (
        <div className="why" data-testid="why" data-kind="correlation">
          <p data-testid="why-threshold">
            Threshold: <strong>{thresholdText(w)}</strong>; reached <strong data-testid="why-count">{formatCount(w.count)}</strong>
            {w.groupBy.length > 0 && <> for</>}
            {w.groupBy.map((g, i) => (
              <span key={g.field}>{i > 0 ? ',' : ''} <code>{g.field}</code> = <code className="value"><LogText text={g.value} /></code></span>
            ))}.
          </p>
          {w.values.length > 0 && (
            <div className="why-values">
              <span className="muted">Distinct values seen:</span> <ValueList values={w.values} />
            </div>
          )}
          {w.rules.map((r) => (
            <div className="why-rule" key={r.id}>
              <p>Correlated rule <strong><LogText text={r.title} /></strong>{r.selections.length > 0 && <>, through <Selections names={r.selections} /></>}:</p>
              <Matches matches={r.matches} />
            </div>
          ))}
        </div>
      );
    case 'unknown':
      return <pre className="why" data-testid="why" data-kind="unknown"><LogText text={w.text} /></pre>;
    default:
      return w satisfies never;
  }
}

function Selections({ names }: { names: SelectionWhy['selections'] }) {
  return <>{names.map((n, i) => <span key={n}>{i > 0 ? ', ' : ''}<code><LogText text={n} /></code></span>)}</>;
}

function Matches({ matches }: { matches: readonly FieldMatch[] }) {
  if (matches.length === 0) return null;
  return (
    <table className="grid why-matches" data-testid="why-matches">
      <thead><tr><th scope="col">Field</th><th scope="col">Values that matched</th></tr></thead>
      <tbody>
        {matches.map((m) => (
          <tr key={m.field ?? '\u0000keywords'} data-testid="why-match">
            <td data-col="field"><code>{m.field === null ? 'keywords (any field)' : <LogText text={m.field} />}</code></td>
            <td data-col="values"><ValueList values={m.values} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ValueList({ values }: { values: readonly string[] }) {
  return <>{values.map((v, i) => <code key={i} className="value"><LogText text={v} /></code>)}</>;
}
