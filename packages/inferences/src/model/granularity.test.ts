import { describe, expect, it } from 'vitest';
import { InvalidParameterError } from './errors.js';
import { checkGranularity, uiGranularity, wholeRangeGranularity } from './granularity.js';

const range = (minutes: number) => ({ start: 0, end: minutes * 60_000 });

describe('granularity', () => {
  it('defaults to one window over the whole range, in whole minutes', () => {
    expect(wholeRangeGranularity({ start: 0, end: 90.5 * 60_000 })).toEqual({
      evaluationWindowMinutes: 90,
      samplingIntervalMinutes: 90,
    });
    expect(() => wholeRangeGranularity(range(0.5))).toThrow(InvalidParameterError);
  });

  it("follows Phoenix's UI thresholds, with a 2-day window for drift", () => {
    expect(uiGranularity(range(60))).toEqual({ evaluationWindowMinutes: 1, samplingIntervalMinutes: 1 });
    expect(uiGranularity(range(61))).toEqual({ evaluationWindowMinutes: 60, samplingIntervalMinutes: 60 });
    expect(uiGranularity(range(1440), { rolling: true })).toEqual({
      evaluationWindowMinutes: 2880,
      samplingIntervalMinutes: 60,
    });
    expect(uiGranularity(range(14_400), { rolling: true })).toEqual({
      evaluationWindowMinutes: 2880,
      samplingIntervalMinutes: 1440,
    });
  });

  it('refuses windows that are not whole positive minutes, naming the parameter', () => {
    expect(() => checkGranularity({ evaluationWindowMinutes: 0, samplingIntervalMinutes: 1 })).toThrow(
      expect.objectContaining({ parameter: 'evaluation_window_minutes' }),
    );
    expect(() => checkGranularity({ evaluationWindowMinutes: 5, samplingIntervalMinutes: 1.5 })).toThrow(
      expect.objectContaining({ parameter: 'sampling_interval_minutes' }),
    );
  });
});
