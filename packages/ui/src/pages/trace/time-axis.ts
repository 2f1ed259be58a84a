export interface AxisTick {
  /** Offset from the trace start, in microseconds. */
  offsetUs: number;
  /** Position on the timeline, 0–100. */
  percent: number;
  label: string;
}

/** The smallest 1 / 2 / 5 × 10^k step giving at most `maxTicks` intervals over the duration. */
export function tickStep(durationUs: number, maxTicks = 5): number {
  const raw = Math.max(1, durationUs) / maxTicks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const factor of [1, 2, 5, 10]) if (factor * magnitude >= raw) return factor * magnitude;
  return 10 * magnitude;
}

/** A tick's label in the step's unit: µs-precision ms below a second, seconds from there. */
export function tickLabel(offsetUs: number, stepUs: number): string {
  if (offsetUs === 0) return '0';
  if (stepUs >= 1_000_000) return `${trim(offsetUs / 1_000_000, stepUs / 1_000_000)}s`;
  return `${trim(offsetUs / 1000, stepUs / 1000)}ms`;
}

function trim(value: number, step: number): string {
  const decimals = step >= 1 ? 0 : Math.ceil(-Math.log10(step));
  return value.toFixed(decimals);
}

/** Ticks at round offsets from the trace start across its duration (start included). */
export function timeAxisTicks(durationUs: number, maxTicks = 5): AxisTick[] {
  if (durationUs <= 0) return [{ offsetUs: 0, percent: 0, label: '0' }];
  const duration = durationUs;
  const step = tickStep(duration, maxTicks);
  const ticks: AxisTick[] = [];
  for (let offset = 0; offset <= duration; offset += step)
    ticks.push({ offsetUs: offset, percent: (offset / duration) * 100, label: tickLabel(offset, step) });
  return ticks;
}
