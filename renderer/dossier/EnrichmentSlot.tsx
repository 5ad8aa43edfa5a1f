import type { Entity } from '../app/app-state.tsx';

/**
 * Where offline and online intelligence about the entity goes (issue #6: classification, lists,
 * GeoIP/ASN, reputation). Its own component so the intel view can fill it without touching the dossier.
 */
export function EnrichmentSlot({ entity }: { entity: Entity }) {
  return (
    <section className="dossier-wide dossier-enrichment" data-testid="dossier-enrichment">
      <h4>Enrichment</h4>
      <p className="muted">Reputation, blocklists, GeoIP and ASN for this {entity.type === 'ip' ? 'address' : entity.type} will show here.</p>
    </section>
  );
}
