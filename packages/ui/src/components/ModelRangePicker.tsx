import type { InferencesSet, ModelRange } from '../api/inferences.js';
import { MODEL_RANGE_PRESETS, type ModelRangePreset, presetOf, presetRange } from '../pages/model-range.js';
import { formatCount } from './format.js';

/** `<input type="datetime-local">` works in the browser's zone, without seconds. */
const toLocalInput = (iso: string) => {
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
};
const fromLocalInput = (text: string) => (text ? new Date(text).toISOString() : undefined);

/** The primary range of the model pages: a preset of the primary's last days, or any from / to. */
export function ModelRangePicker({
  primary,
  range,
  onChange,
}: {
  primary: InferencesSet;
  range: ModelRange;
  onChange: (range: ModelRange) => void;
}) {
  const preset = presetOf(range, primary);
  const start = range.start_time ?? primary.start_time;
  const end = range.end_time ?? primary.end_time;
  return (
    <fieldset className="set-range" data-testid="primary-range" aria-label="Primary time range">
      <span className="set-range-label">Primary</span>
      <select
        aria-label="Primary range preset"
        value={preset}
        onChange={(event) => onChange(presetRange(event.target.value as ModelRangePreset, primary))}
      >
        {MODEL_RANGE_PRESETS.map((p) => (
          <option key={p.key} value={p.key}>
            {p.label}
          </option>
        ))}
        {preset === 'custom' && <option value="custom">Custom</option>}
      </select>
      <input
        type="datetime-local"
        aria-label="Primary range start"
        value={toLocalInput(start)}
        onChange={(event) => onChange({ ...range, start_time: fromLocalInput(event.target.value) })}
      />
      <span aria-hidden="true">→</span>
      <input
        type="datetime-local"
        aria-label="Primary range end"
        value={toLocalInput(end)}
        onChange={(event) => onChange({ ...range, end_time: fromLocalInput(event.target.value) })}
      />
      <span className="muted">{formatCount(primary.row_count)} rows in all</span>
    </fieldset>
  );
}
