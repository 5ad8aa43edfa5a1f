/** The event grid over the whole case, with its detail pane. (Placeholder until the view lands.) */
export function EventsView() {
  return <p className="empty">EventsView is on its way.</p>;
}
