import type { Entity } from '../app/app-state.tsx';

/** Everything about one IP, user or host, with pivots on. (Placeholder until the view lands.) */
export function DossierView({ entity }: { entity: Entity }) {
  return <p className="empty">Dossier of {entity.value} is on its way.</p>;
}
