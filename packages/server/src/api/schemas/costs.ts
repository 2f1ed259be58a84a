import { Type } from 'typebox';
import { Data, DateTime } from './common.js';

export const CostSummaryQuery = Type.Object({
  start_time: Type.Optional(DateTime('Inclusive lower bound on the spans’ start time')),
  end_time: Type.Optional(DateTime('Exclusive upper bound on the spans’ start time')),
  trace_id: Type.Optional(Type.String({ description: 'Only the spans of this trace' })),
  session_id: Type.Optional(Type.String({ description: 'Only the spans of this session’s traces' })),
  span_id: Type.Optional(Type.String({ description: 'Only this span' })),
});

export const CostSummary = Type.Object(
  {
    prompt: Type.Number({ description: 'US dollars' }),
    completion: Type.Number({ description: 'US dollars' }),
    total: Type.Number({ description: 'US dollars' }),
    priced_spans: Type.Integer({ description: 'Spans in scope whose model has a price' }),
  },
  { title: 'CostSummary' },
);

export const CostSummaryBody = Data(CostSummary, 'GetCostSummaryResponseBody');
