import { useMemo } from 'react';

/** IANA zones this browser knows, UTC and the machine's own zone first. */
function timeZones(): string[] {
  const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const all = Intl.supportedValuesOf('timeZone');
  return [...new Set(['UTC', local, ...all])];
}

export function TimezoneSelect({ value, disabled, onChange }: { value: string; disabled: boolean; onChange: (zone: string) => void }) {
  const zones = useMemo(timeZones, []);
  return (
    <label className="field">
      <span>Time zone of timestamps without an offset</span>
      <select data-testid="timezone" value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
        {zones.map((z) => <option key={z} value={z}>{z}</option>)}
      </select>
    </label>
  );
}
