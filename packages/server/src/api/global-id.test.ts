import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId, rowIdFromCursor, rowIdFromGlobalId } from './global-id.js';

describe('GlobalIDs', () => {
  it('encodes as Phoenix does (standard base64 with padding)', () => {
    expect(encodeGlobalId('Project', 1)).toBe('UHJvamVjdDox');
    expect(encodeGlobalId('ProjectSession', 7)).toBe('UHJvamVjdFNlc3Npb246Nw==');
    expect(encodeGlobalId('Trace', 12)).toBe(Buffer.from('Trace:12').toString('base64'));
  });

  it('reads back the row id of the expected type only', () => {
    expect(rowIdFromGlobalId('UHJvamVjdDox', 'Project')).toBe(1);
    expect(rowIdFromGlobalId('UHJvamVjdFNlc3Npb246Nw==', 'ProjectSession')).toBe(7);
    expect(rowIdFromGlobalId('UHJvamVjdDox', 'Trace')).toBeNull();
    expect(rowIdFromGlobalId(encodeGlobalId('Span', 3), 'Span')).toBe(3);
  });

  it('treats names, session ids and OpenTelemetry ids as not GlobalIDs', () => {
    for (const value of [
      'default',
      'my-project',
      'session-1',
      '0123456789abcdef0123456789abcdef',
      '7e2f08cb43bbf521',
      '',
    ]) {
      expect(rowIdFromGlobalId(value, 'Project')).toBeNull();
    }
    expect(decodeGlobalId('UHJvamVjdDox!')).toEqual({ type: 'Project', nodeId: '1' });
    expect(rowIdFromGlobalId(Buffer.from('Project:abc').toString('base64'), 'Project')).toBeNull();
    expect(decodeGlobalId('UHJvamVjdDox=')).toBeNull();
  });

  it('reads cursors of any type', () => {
    expect(rowIdFromCursor(encodeGlobalId('SpanAnnotation', 42))).toBe(42);
    expect(rowIdFromCursor('nonsense')).toBeNull();
  });
});
