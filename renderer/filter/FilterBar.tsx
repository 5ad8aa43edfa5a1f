/** The filter bar: free text, field:value, comparisons, and/or/not; errors shown in place. (Placeholder until the view lands.) */
export function FilterBar() {
  return <p className="empty">FilterBar is on its way.</p>;
}
