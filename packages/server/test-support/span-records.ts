import type { SpanRecord } from '../src/model/span-record.js';

let counter = 0;

/** 16 or 32 hex digits, unique within the test run. */
export function hexId(bytes: 8 | 16, seed = ++counter): string {
  return seed.toString(16).padStart(bytes * 2, '0');
}

/** A valid SpanRecord with sensible defaults; override what the test is about. */
export function spanRecord(overrides: Partial<SpanRecord> = {}): SpanRecord {
  const startTime = overrides.startTime ?? 1_700_000_000_000_000;
  return {
    projectName: 'default',
    traceId: hexId(16),
    spanId: hexId(8),
    parentId: null,
    name: 'span',
    spanKind: 'CHAIN',
    startTime,
    endTime: startTime + 1000,
    statusCode: 'UNSET',
    statusMessage: '',
    attributes: {},
    events: [],
    sessionId: null,
    llmTokenCountPrompt: 0,
    llmTokenCountCompletion: 0,
    inputValue: null,
    outputValue: null,
    ...overrides,
  };
}
