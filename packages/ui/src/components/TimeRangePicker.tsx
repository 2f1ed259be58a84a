import { RANGE_PRESETS, type RangeKey } from './time-range.js';

export function TimeRangePicker({ value, onChange }: { value: RangeKey; onChange: (key: RangeKey) => void }) {
  return (
    <label className="range-picker">
      <span className="sr-only">Time range</span>
      <span aria-hidden="true" className="range-icon">
        ◷
      </span>
      <select value={value} onChange={(e) => onChange(e.target.value as RangeKey)} aria-label="Time range">
        {RANGE_PRESETS.map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
      </select>
    </label>
  );
}
