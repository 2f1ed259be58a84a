import { useSearchParams } from 'react-router-dom';
import type { InferencesSet, ModelRange } from '../api/inferences.js';

// The primary time range the model pages show lives in the URL (`?start=…&end=…`) so links keep it.

const DAY = 86_400_000;

/** Phoenix's presets: the last days of the primary set, counted back from its end. */
export const MODEL_RANGE_PRESETS = [
  { key: 'all', label: 'All of the primary', days: null },
  { key: '1d', label: 'Last day', days: 1 },
  { key: '7d', label: 'Last 7 days', days: 7 },
  { key: '30d', label: 'Last 30 days', days: 30 },
] as const;

export type ModelRangePreset = (typeof MODEL_RANGE_PRESETS)[number]['key'] | 'custom';

/** The range of a preset; the primary's end is exclusive on the server, so it ends a millisecond later. */
export function presetRange(key: ModelRangePreset, primary: InferencesSet): ModelRange {
  const preset = MODEL_RANGE_PRESETS.find((p) => p.key === key);
  if (!preset || preset.days === null) return {};
  const end = Date.parse(primary.end_time) + 1;
  return {
    start_time: new Date(end - preset.days * DAY).toISOString(),
    end_time: new Date(end).toISOString(),
  };
}

/** Which preset a range is, or 'custom'. */
export function presetOf(range: ModelRange, primary: InferencesSet): ModelRangePreset {
  for (const preset of MODEL_RANGE_PRESETS) {
    const candidate = presetRange(preset.key, primary);
    if (candidate.start_time === range.start_time && candidate.end_time === range.end_time) return preset.key;
  }
  return 'custom';
}

const isInstant = (text: string | null): text is string => text !== null && !Number.isNaN(Date.parse(text));

export function useModelRange(): [ModelRange, (range: ModelRange) => void, URLSearchParams] {
  const [params, setParams] = useSearchParams();
  const start = params.get('start');
  const end = params.get('end');
  const range: ModelRange = {
    ...(isInstant(start) ? { start_time: start } : {}),
    ...(isInstant(end) ? { end_time: end } : {}),
  };
  const setRange = (next: ModelRange) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        for (const [param, value] of [
          ['start', next.start_time],
          ['end', next.end_time],
        ] as const) {
          if (value) updated.set(param, value);
          else updated.delete(param);
        }
        return updated;
      },
      { replace: true },
    );
  return [range, setRange, params];
}

/** `?start=…&end=…` for links between the model pages. */
export function rangeSearch(range: ModelRange): string {
  const params = new URLSearchParams();
  if (range.start_time) params.set('start', range.start_time);
  if (range.end_time) params.set('end', range.end_time);
  const text = params.toString();
  return text ? `?${text}` : '';
}
