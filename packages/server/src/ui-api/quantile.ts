/** numpy's default (linear) quantile of values sorted ascending; null when there are none. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = (n - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, n - 1);
  const a = sorted[below]!;
  return a + (sorted[above]! - a) * (position - below);
}

export function quantiles(values: number[], qs: readonly number[]): (number | null)[] {
  const sorted = Float64Array.from(values).sort();
  return qs.map((q) => quantileSorted(sorted, q));
}
