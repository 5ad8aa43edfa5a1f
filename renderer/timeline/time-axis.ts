/** Axis labels in UTC, as precise as the bucket size needs. */
const pad = (n: number) => String(n).padStart(2, '0');

export function axisLabel(ts: number, bucketMs: number): string {
  const d = new Date(ts);
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (bucketMs >= 86_400_000) return date;
  if (bucketMs >= 60_000) return `${date.slice(5)} ${hm}`;
  return `${hm}:${pad(d.getUTCSeconds())}`;
}

/** A bucket size for people: "5 min", "1 h", "1 day". */
export function durationLabel(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'h'], [60_000, 'min'], [1000, 's'], [1, 'ms']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return name === 'day' && n !== 1 ? `${n} days` : `${n} ${name}`;
    }
  }
  return `${ms} ms`;
}
