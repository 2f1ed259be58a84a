import { describe, expect, it } from 'vitest';
import { tickLabel, tickStep, timeAxisTicks } from './time-axis.js';

describe('time axis', () => {
  it('picks 1 / 2 / 5 steps giving at most five intervals', () => {
    expect(tickStep(1_000_000)).toBe(200_000);
    expect(tickStep(2_300_000)).toBe(500_000);
    expect(tickStep(7_000)).toBe(2_000);
    expect(tickStep(450)).toBe(100);
    expect(tickStep(12_000_000)).toBe(5_000_000);
  });

  it('labels ticks in ms below a one-second step, in s from there', () => {
    expect(tickLabel(0, 200_000)).toBe('0');
    expect(tickLabel(400_000, 200_000)).toBe('400ms');
    expect(tickLabel(300, 100)).toBe('0.3ms');
    expect(tickLabel(10_000_000, 5_000_000)).toBe('10s');
  });

  it('places ticks from the trace start, the bars sharing its 0–100 scale', () => {
    const ticks = timeAxisTicks(1_000_000);
    expect(ticks.map((t) => t.label)).toEqual(['0', '200ms', '400ms', '600ms', '800ms', '1000ms']);
    expect(ticks.map((t) => t.percent)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(timeAxisTicks(0)).toEqual([{ offsetUs: 0, percent: 0, label: '0' }]);
  });
});
