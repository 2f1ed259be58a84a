import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Range } from '../api/queries.js';
import { isRangeKey, type RangeKey, rangeOf } from '../components/time-range.js';

/** One search parameter of the page's URL (so that a reload or a shared link shows the same view). */
export function useSearchParam(name: string, fallback: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? fallback;
  const set = useCallback(
    (next: string) =>
      setParams(
        (current) => {
          const copy = new URLSearchParams(current);
          if (next === fallback) copy.delete(name);
          else copy.set(name, next);
          return copy;
        },
        { replace: true },
      ),
    [name, fallback, setParams],
  );
  return [value, set];
}

/**
 * Sets several search parameters in one navigation (two calls of a single-parameter setter in one
 * event would each start from the same URL, and the second would undo the first). Values equal to
 * their fallback, or null, are removed from the URL.
 */
export function useSetSearchParams(): (updates: Record<string, { value: string; fallback: string }>) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (updates) =>
      setParams(
        (current) => {
          const copy = new URLSearchParams(current);
          for (const [name, { value, fallback }] of Object.entries(updates)) {
            if (value === fallback) copy.delete(name);
            else copy.set(name, value);
          }
          return copy;
        },
        { replace: true },
      ),
    [setParams],
  );
}

/** The time range of the page (`?range=24h`), all time by default. */
export function useTimeRange(): [RangeKey, Range, (key: RangeKey) => void] {
  const [raw, setRaw] = useSearchParam('range', 'all');
  const key: RangeKey = isRangeKey(raw) ? raw : 'all';
  // Recomputed when the key changes (and on a remount), not at every render.
  const range = useMemo(() => rangeOf(key), [key]);
  return [key, range, setRaw as (key: RangeKey) => void];
}

/** `?range=…` to carry into links, so that the range follows the user. */
export function useRangeSuffix(): string {
  const [params] = useSearchParams();
  const range = params.get('range');
  return range ? `?range=${encodeURIComponent(range)}` : '';
}
