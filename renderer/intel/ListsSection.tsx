import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../shared/ipc/contract.ts';
import { errorMessage, importIntelList, listIntelLists, pickEvidence, removeIntelList } from '../api.ts';
import { useAppState } from '../app/app-state.tsx';
import { LogText } from '../events/LogText.tsx';
import { formatCount, formatTime } from '../format.ts';

type Lists = ResponseOf<'intel:list-lists'>;
type Imported = ResponseOf<'intel:import-list'>;

const FROM = { header: 'its header', analyst: 'you', mtime: 'file date' } as const;

/** The open case's blocklists and IoC lists: what each is, the date it describes, and how many of the case's addresses are on it. */
export function ListsSection() {
  const { caseSummary, dataVersion, dataChanged, showEvents } = useAppState();
  const [lists, setLists] = useState<Lists | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [imported, setImported] = useState<Imported[]>([]);
  const casePath = caseSummary?.path ?? null;

  useEffect(() => {
    if (casePath === null) return;
    let live = true;
    listIntelLists().then((l) => live && setLists(l), (err: unknown) => live && setProblem(errorMessage(err)));
    return () => {
      live = false;
    };
  }, [casePath, dataVersion]);

  if (casePath === null) {
    return (
      <section className="settings-section" data-testid="settings-lists">
        <h3>Blocklists and IoC lists</h3>
        <p className="muted">Lists belong to a case: open one to import lists into it.</p>
      </section>
    );
  }

  const pick = async (): Promise<void> => {
    const paths = await pickEvidence('files');
    if (paths.length === 0) return;
    setBusy(true);
    setProblem(null);
    const done: Imported[] = [];
    try {
      for (const path of paths) done.push(await importIntelList({ path }));
    } catch (err) {
      setProblem(errorMessage(err));
    } finally {
      setImported(done);
      setBusy(false);
      // The lists' hits, the grid's list filter and the alerts all changed.
      dataChanged();
    }
  };
  const remove = (name: string): void => {
    setBusy(true);
    removeIntelList(name).then(() => dataChanged(), (err: unknown) => setProblem(errorMessage(err))).finally(() => setBusy(false));
  };

  return (
    <section className="settings-section" data-testid="settings-lists" data-busy={busy}>
      <h3>Blocklists and IoC lists of this case</h3>
      <p className="muted">
        Plain address or CIDR lists, FireHOL and Spamhaus netsets, Spamhaus DROP JSON, or CSV with an indicator column
        (<code>.gz</code> too). Each list keeps its name, its SHA-256 and the date it describes, so a match reads "as known at"
        that date. Importing a list under a name already used replaces it; the case's rules run again afterwards. Filter the
        grid with <code>list:NAME</code>, <code>src_list:*</code>.
      </p>
      {problem !== null ? <p className="error" role="alert" data-testid="settings-lists-problem"><LogText text={problem} /></p> : null}
      {lists && lists.length > 0 ? (
        <table className="field-table" data-testid="settings-lists-table">
          <thead><tr><th>name</th><th>describes</th><th>SHA-256</th><th className="num">entries</th><th className="num">case addresses on it</th><th>imported</th><th /></tr></thead>
          <tbody>
            {lists.map((l) => (
              <tr key={l.id} data-testid="settings-list" data-list={l.name}>
                <td><LogText text={l.name} /><div className="muted small"><LogText text={l.path} /></div></td>
                <td data-col="date">{formatTime(l.describedAt)} <span className="muted">({FROM[l.describedAtFrom]})</span></td>
                <td data-col="sha256" title={l.sha256}><code>{l.sha256.slice(0, 12)}…</code></td>
                <td className="num" data-col="entries">{formatCount(l.entries)}{l.rejected > 0 ? <span className="muted"> ({formatCount(l.rejected)} lines skipped)</span> : null}</td>
                <td className="num" data-col="hits">
                  {l.hits > 0 ? <button type="button" className="link" onClick={() => showEvents(`list:${l.name}`)}>{formatCount(l.hits)}</button> : '0'}
                </td>
                <td>{formatTime(l.importedAt)}</td>
                <td><button type="button" disabled={busy} onClick={() => remove(l.name)}>Remove</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : lists ? <p className="muted" data-testid="settings-lists-none">No list imported into this case.</p> : null}
      <button type="button" data-testid="settings-lists-import" disabled={busy} onClick={() => void pick().catch((err: unknown) => setProblem(errorMessage(err)))}>
        {busy ? 'Working…' : 'Import lists…'}
      </button>
      {imported.map((r) => (
        <p key={r.list.id} className="muted" data-testid="settings-list-imported">
          {r.replaced ? 'Replaced' : 'Imported'} <LogText text={r.list.name} />: {formatCount(r.list.entries)} entries,
          {' '}{formatCount(r.list.hits)} of the case's addresses on it.
          {r.warnings.map((w, i) => <span key={i}> <LogText text={w} /></span>)}
        </p>
      ))}
    </section>
  );
}
