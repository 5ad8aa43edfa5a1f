/** Events over time, stacked, with alerts marked; brushing sets the shared time range. (Placeholder until the view lands.) */
export function TimelineView() {
  return <p className="empty">TimelineView is on its way.</p>;
}
