import { describe, expect, it } from 'vitest';
import { multipartJsonParts, tableOf } from './span-frames.js';

describe('span frames', () => {
  const table = {
    schema: {
      fields: [
        { name: '1_name', type: 'string' },
        { name: '0_context.span_id', type: 'string' },
        { name: '2_start_time', type: 'datetime', tz: 'UTC' },
        { name: '3_events', type: 'string' },
        { name: '4_context.span_id', type: 'string' },
        { name: '5_attributes.llm.token_count.total', type: 'integer' },
      ],
      primaryKey: ['0_context.span_id'],
    },
    data: [
      {
        '0_context.span_id': 'a1',
        '1_name': 'llm',
        '2_start_time': '2024-01-01T00:00:00+00:00',
        '3_events': [],
        '4_context.span_id': 'a1',
        '5_attributes.llm.token_count.total': 3,
      },
    ],
  };

  it('reads the JSON parts of a multipart/mixed body', () => {
    const body = `--b0\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(table)}\r\n--b0--\r\n`;
    expect(multipartJsonParts('multipart/mixed; boundary=b0', body)).toEqual([table]);
  });

  it('puts index columns first, drops the numbers and a repeated name, and types the columns', () => {
    const { columns, rows } = tableOf(table);
    expect(columns).toEqual([
      { name: 'context.span_id', type: 'string' },
      { name: 'name', type: 'string' },
      { name: 'start_time', type: 'datetime' },
      { name: 'events', type: 'json' },
      { name: 'attributes.llm.token_count.total', type: 'integer' },
    ]);
    expect(rows).toEqual([
      {
        'context.span_id': 'a1',
        name: 'llm',
        start_time: '2024-01-01T00:00:00+00:00',
        events: [],
        'attributes.llm.token_count.total': 3,
      },
    ]);
  });
});
