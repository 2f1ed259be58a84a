import type { Range } from '../api/queries.js';

export const RANGE_PRESETS = [
  { key: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { key: '1h', label: 'Last hour', ms: 3600_000 },
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { key: 'all', label: 'All time', ms: null },
] as const;

export type RangeKey = (typeof RANGE_PRESETS)[number]['key'];

export function isRangeKey(value: string | null): value is RangeKey {
  return RANGE_PRESETS.some((p) => p.key === value);
}

/**
 * The instants of a preset, the start rounded down to the minute so that the query key (and the
 * cache) stays the same for a minute instead of changing at every render.
 */
export function rangeOf(key: RangeKey, now = Date.now()): Range {
  const preset = RANGE_PRESETS.find((p) => p.key === key)!;
  if (preset.ms === null) return {};
  const start = Math.floor((now - preset.ms) / 60_000) * 60_000;
  return { start_time: new Date(start).toISOString() };
}
