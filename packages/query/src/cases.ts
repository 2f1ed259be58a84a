/**
 * A shared table of filter cases over a small fixture of spans. The in-memory evaluator runs it here
 * (cases.test.ts); a SQL compiler loads the same fixture into its database and must return exactly the
 * same span ids for every expression. Expected ids are listed in fixture order.
 */
import type { FilterSpan } from './evaluate.js';

export interface FixtureSpan extends FilterSpan {
  readonly span_id: string;
  readonly trace_id: string;
}

const userFeedbackUp = { user_feedback: { label: 'thumbs_up', score: 1 } };
const userFeedbackDown = { user_feedback: { label: 'thumbs_down', score: 0, explanation: 'Too slow' } };

/**
 * Eight spans in three traces: varied kinds, a running span (no end time), missing attributes, token
 * counts (one stored as a string), span and trace annotations, metadata (a dotted key, a nested value),
 * errors, arrays.
 */
export const FIXTURE_SPANS: readonly FixtureSpan[] = [
  {
    span_id: 'llm-1',
    trace_id: 'trace-1',
    parent_id: 'chain-1',
    name: 'ChatCompletion',
    span_kind: 'LLM',
    status_code: 'OK',
    status_message: '',
    start_time: '2024-05-01T10:00:01.000Z',
    end_time: '2024-05-01T10:00:02.500Z',
    attributes: {
      llm: {
        model_name: 'gpt-4o',
        provider: 'openai',
        is_streaming: false,
        token_count: { prompt: 800, completion: 400, total: 1200 },
      },
      input: { value: 'What is the capital of France?', mime_type: 'text/plain' },
      output: { value: 'Paris is the capital of France.' },
      metadata: { user: 'alice', tier: 'pro' },
      session: { id: 'session-1' },
      tag: { tags: ['prod', 'chat'] },
    },
    cumulative_token_count: { prompt: 800, completion: 400, total: 1200 },
    annotations: { correctness: { label: 'correct', score: 1, explanation: 'Matches the reference answer' } },
    trace_annotations: userFeedbackUp,
  },
  {
    span_id: 'chain-1',
    trace_id: 'trace-1',
    parent_id: null,
    name: 'agent_run',
    span_kind: 'CHAIN',
    status_code: 'OK',
    status_message: '',
    start_time: '2024-05-01T10:00:00.000Z',
    end_time: '2024-05-01T10:00:04.200Z',
    attributes: {
      input: { value: 'What is the capital of France?' },
      output: { value: 'Paris is the capital of France.' },
      metadata: { user: 'alice', tier: 'pro' },
      session: { id: 'session-1' },
    },
    cumulative_token_count: { prompt: 1000, completion: 450, total: 1450 },
    trace_annotations: userFeedbackUp,
  },
  {
    span_id: 'tool-1',
    trace_id: 'trace-1',
    parent_id: 'chain-1',
    name: 'search_web',
    span_kind: 'TOOL',
    status_code: 'ERROR',
    status_message: 'Timeout error: upstream did not respond',
    start_time: '2024-05-01T10:00:00.100Z',
    end_time: '2024-05-01T10:00:03.100Z',
    attributes: {
      tool: { name: 'search_web' },
      input: { value: '{"q": "capital of France"}', mime_type: 'application/json' },
      exception: { type: 'TimeoutError' },
    },
    cumulative_token_count: { prompt: 0, completion: 0, total: 0 },
    trace_annotations: userFeedbackUp,
  },
  {
    span_id: 'retriever-1',
    trace_id: 'trace-1',
    parent_id: 'chain-1',
    name: 'vector_search',
    span_kind: 'RETRIEVER',
    status_code: 'OK',
    status_message: '',
    start_time: '2024-05-01T10:00:03.200Z',
    end_time: '2024-05-01T10:00:03.450Z',
    attributes: {
      retrieval: {
        documents: [
          { document: { id: 'doc-1', content: 'Paris is the capital of France.', score: 0.92 } },
          { document: { id: 'doc-2', content: 'Lyon is a city in France.', score: 0.41 } },
        ],
      },
      input: { value: 'capital of France' },
    },
    cumulative_token_count: { prompt: 0, completion: 0, total: 0 },
    annotations: { relevance: { score: 0.5 } },
    trace_annotations: userFeedbackUp,
  },
  {
    span_id: 'llm-2',
    trace_id: 'trace-2',
    parent_id: null,
    name: 'ChatCompletion',
    span_kind: 'LLM',
    status_code: 'ERROR',
    status_message: 'Rate limit exceeded (429)',
    start_time: '2024-05-02T08:30:00.000Z',
    end_time: '2024-05-02T08:30:00.800Z',
    attributes: {
      llm: { model_name: 'claude-3-5-sonnet', provider: 'anthropic', token_count: { prompt: 50 } },
      input: { value: 'hello' },
      metadata: { user: 'bob', retries: 2 },
    },
    cumulative_token_count: { prompt: 50, completion: 0, total: 50 },
    annotations: {
      correctness: { label: 'incorrect', score: 0, explanation: 'Hallucinated an answer' },
      hallucination: { label: 'hallucinated', score: 1 },
    },
  },
  {
    // still running: no end time, so no latency; no attributes, no token counts, no status message
    span_id: 'agent-1',
    trace_id: 'trace-3',
    parent_id: null,
    name: 'planner',
    span_kind: 'AGENT',
    status_code: 'UNSET',
    status_message: null,
    start_time: '2024-05-03T12:00:00.000Z',
    end_time: null,
    attributes: {},
    cumulative_token_count: null,
    trace_annotations: userFeedbackDown,
  },
  {
    span_id: 'embedding-1',
    trace_id: 'trace-3',
    parent_id: 'agent-1',
    name: 'embed',
    span_kind: 'EMBEDDING',
    status_code: 'OK',
    status_message: '',
    start_time: '2024-05-03T12:00:00.010Z',
    end_time: '2024-05-03T12:00:00.050Z',
    attributes: {
      embedding: { model_name: 'text-embedding-3-small' },
      // a number stored as a string: never coerced, so numeric comparisons with it are unknown
      llm: { token_count: { total: '300' } },
      metadata: { user: 'carol', 'user.id': 'u-42', nested: { deep: true } },
    },
    cumulative_token_count: { prompt: 300, completion: 0, total: 300 },
    trace_annotations: userFeedbackDown,
  },
  {
    span_id: 'llm-3',
    trace_id: 'trace-3',
    parent_id: 'agent-1',
    name: 'ChatCompletion',
    span_kind: 'LLM',
    status_code: 'OK',
    status_message: '',
    start_time: '2024-05-03T12:00:01.000Z',
    end_time: '2024-05-03T12:00:03.500Z',
    attributes: {
      llm: {
        model_name: 'gpt-4o-mini',
        provider: 'openai',
        is_streaming: true,
        token_count: { prompt: 1500, completion: 700, total: 2200 },
      },
      input: { value: `Say "error" in French, it's a test` },
      output: { value: 'erreur' },
      metadata: { user: 'alice', tier: 'free', score: 0.75 },
      session: { id: 'session-2' },
      tag: { tags: ['dev'] },
    },
    cumulative_token_count: { prompt: 1500, completion: 700, total: 2200 },
    annotations: { correctness: { label: 'correct', score: 0.9 } },
    trace_annotations: userFeedbackDown,
  },
];

export const ALL_SPAN_IDS: readonly string[] = FIXTURE_SPANS.map((s) => s.span_id);

export interface FilterCase {
  readonly expression: string;
  /** Ids of the matching fixture spans, in fixture order. */
  readonly matches: readonly string[];
  /** Why the case is interesting (missing values, three-valued logic...). */
  readonly note?: string;
}

export const FILTER_CASES: readonly FilterCase[] = [
  // span fields and enums
  { expression: "span_kind == 'LLM'", matches: ['llm-1', 'llm-2', 'llm-3'] },
  {
    expression: "span_kind != 'LLM'",
    matches: ['chain-1', 'tool-1', 'retriever-1', 'agent-1', 'embedding-1'],
  },
  { expression: "span_kind in ['LLM', 'TOOL']", matches: ['llm-1', 'tool-1', 'llm-2', 'llm-3'] },
  {
    expression: "span_kind not in ('LLM', 'TOOL')",
    matches: ['chain-1', 'retriever-1', 'agent-1', 'embedding-1'],
  },
  { expression: "status_code == 'ERROR'", matches: ['tool-1', 'llm-2'] },
  { expression: 'span_kind == "LLM" and llm.token_count.completion is None', matches: ['llm-2'] },
  {
    expression: "name == 'ChatCompletion' and span_id != 'llm-2'",
    matches: ['llm-1', 'llm-3'],
  },
  { expression: "context.span_id in ['llm-1', 'tool-1']", matches: ['llm-1', 'tool-1'] },
  { expression: "trace_id == 'trace-3'", matches: ['agent-1', 'embedding-1', 'llm-3'] },
  {
    expression: "name > 'p'",
    matches: ['tool-1', 'retriever-1', 'agent-1'],
    note: "strings order by code point: 'ChatCompletion' < 'p'",
  },
  {
    expression: "name + '/' + span_kind == 'agent_run/CHAIN'",
    matches: ['chain-1'],
    note: 'string concatenation',
  },
  {
    expression: "status_message == ''",
    matches: ['llm-1', 'chain-1', 'retriever-1', 'embedding-1', 'llm-3'],
    note: 'an empty string is a value, not a missing value',
  },

  // substrings
  { expression: "'error' in status_message", matches: ['tool-1'], note: 'case-sensitive substring' },
  {
    expression: "'error' not in status_message",
    matches: ['llm-1', 'chain-1', 'retriever-1', 'llm-2', 'embedding-1', 'llm-3'],
    note: 'agent-1 has no status message: unknown, so not matched',
  },
  {
    expression: "not ('error' in status_message)",
    matches: ['llm-1', 'chain-1', 'retriever-1', 'llm-2', 'embedding-1', 'llm-3'],
    note: 'not over unknown stays unknown',
  },
  {
    expression: "input.value is not None and 'France' in input.value",
    matches: ['llm-1', 'chain-1', 'tool-1', 'retriever-1'],
  },
  { expression: `'"error"' in input.value`, matches: ['llm-3'] },
  {
    expression: `input.value == "Say \\"error\\" in French, it's a test"`,
    matches: ['llm-3'],
    note: 'escapes',
  },

  // topology
  { expression: 'parent_id is None', matches: ['chain-1', 'llm-2', 'agent-1'] },
  {
    expression: 'parent_id is not None',
    matches: ['llm-1', 'tool-1', 'retriever-1', 'embedding-1', 'llm-3'],
  },
  { expression: "parent_id == 'chain-1'", matches: ['llm-1', 'tool-1', 'retriever-1'] },
  {
    expression: "parent_id != 'chain-1'",
    matches: ['embedding-1', 'llm-3'],
    note: 'roots have no parent: != is unknown for them (SQL NULL semantics)',
  },

  // latency and times
  { expression: 'latency_ms > 1000', matches: ['llm-1', 'chain-1', 'tool-1', 'llm-3'] },
  { expression: 'latency_ms <= 800', matches: ['retriever-1', 'llm-2', 'embedding-1'] },
  {
    expression: 'not latency_ms > 1000',
    matches: ['retriever-1', 'llm-2', 'embedding-1'],
    note: 'agent-1 has no latency: not unknown is unknown',
  },
  { expression: 'latency_ms is None', matches: ['agent-1'] },
  { expression: 'latency_ms == 1500.0', matches: ['llm-1'] },
  { expression: '1000 < latency_ms < 3000', matches: ['llm-1', 'llm-3'], note: 'chained comparison' },
  { expression: '-latency_ms < -2000', matches: ['chain-1', 'tool-1', 'llm-3'] },
  {
    expression: 'latency_ms / 0 is None',
    matches: [...ALL_SPAN_IDS],
    note: 'division by zero is a missing value',
  },
  {
    expression: "start_time >= '2024-05-02'",
    matches: ['llm-2', 'agent-1', 'embedding-1', 'llm-3'],
  },
  {
    expression: "start_time < '2024-05-01T10:00:00.500Z'",
    matches: ['chain-1', 'tool-1'],
  },
  {
    expression: "start_time < '2024-05-01 12:00:00.500+02:00'",
    matches: ['chain-1', 'tool-1'],
    note: 'a datetime with an offset',
  },
  { expression: 'end_time is None', matches: ['agent-1'] },
  {
    expression: 'end_time > start_time',
    matches: ['llm-1', 'chain-1', 'tool-1', 'retriever-1', 'llm-2', 'embedding-1', 'llm-3'],
  },

  // token counts
  { expression: 'llm.token_count.total > 1000', matches: ['llm-1', 'llm-3'] },
  {
    expression: 'llm.token_count.total < 1000',
    matches: [],
    note: "embedding-1 stores '300' (a string): comparing it with a number is unknown, never coerced",
  },
  { expression: "llm.token_count.total == '300'", matches: ['embedding-1'] },
  { expression: 'llm.token_count.total is not None', matches: ['llm-1', 'embedding-1', 'llm-3'] },
  { expression: "attributes['llm']['token_count']['total'] >= 2200", matches: ['llm-3'] },
  { expression: "attributes['llm.token_count.total'] == 1200", matches: ['llm-1'] },
  { expression: 'cumulative_token_count.total > 1000', matches: ['llm-1', 'chain-1', 'llm-3'] },
  { expression: 'cumulative_llm_token_count_prompt >= 800', matches: ['llm-1', 'chain-1', 'llm-3'] },
  {
    expression: 'cumulative_token_count.completion == 0',
    matches: ['tool-1', 'retriever-1', 'llm-2', 'embedding-1'],
  },
  { expression: '0 < cumulative_token_count.total <= 50', matches: ['llm-2'] },
  {
    expression: 'cumulative_token_count.prompt + cumulative_token_count.completion > 1000',
    matches: ['llm-1', 'chain-1', 'llm-3'],
  },
  {
    expression: 'llm.token_count.prompt / llm.token_count.total > 0.6',
    matches: ['llm-1', 'llm-3'],
    note: 'true division',
  },

  // attributes
  { expression: "llm.model_name == 'gpt-4o'", matches: ['llm-1'] },
  { expression: "llm.model_name != 'gpt-4o'", matches: ['llm-2', 'llm-3'] },
  { expression: "'gpt' in llm.model_name", matches: ['llm-1', 'llm-3'] },
  { expression: "llm.model_name in ['gpt-4o', 'gpt-4o-mini']", matches: ['llm-1', 'llm-3'] },
  { expression: "llm.model_name not in ['gpt-4o', 'gpt-4o-mini']", matches: ['llm-2'] },
  {
    expression: "llm.provider == 'openai' and (latency_ms > 2000 or status_code == 'ERROR')",
    matches: ['llm-3'],
  },
  { expression: "session.id == 'session-1'", matches: ['llm-1', 'chain-1'] },
  { expression: 'exception.type is not None', matches: ['tool-1'] },
  { expression: "'prod' in tag.tags", matches: ['llm-1'], note: 'membership in an array attribute' },
  { expression: "'prod' not in tag.tags", matches: ['llm-3'] },
  { expression: 'llm.is_streaming', matches: ['llm-3'], note: 'a boolean attribute as a condition' },
  { expression: 'not llm.is_streaming', matches: ['llm-1'] },
  { expression: 'llm.is_streaming == False', matches: ['llm-1'] },
  { expression: 'retrieval.documents[0].document.score > 0.9', matches: ['retriever-1'] },
  { expression: "retrieval.documents[1].document.id == 'doc-2'", matches: ['retriever-1'] },

  // metadata
  { expression: "metadata['user'] == 'alice'", matches: ['llm-1', 'chain-1', 'llm-3'] },
  { expression: "metadata['user'] != 'alice'", matches: ['llm-2', 'embedding-1'] },
  {
    expression: "metadata['user.id'] == 'u-42'",
    matches: ['embedding-1'],
    note: 'metadata keys are literal',
  },
  { expression: "metadata['nested']['deep'] == True", matches: ['embedding-1'] },
  { expression: "metadata['retries'] > 1", matches: ['llm-2'] },
  { expression: "metadata['score'] * 100 > 50", matches: ['llm-3'] },
  { expression: "metadata.tier == 'pro'", matches: ['llm-1', 'chain-1'] },
  { expression: "metadata['tier'] in ('pro',)", matches: ['llm-1', 'chain-1'] },
  { expression: 'metadata is None', matches: ['tool-1', 'retriever-1', 'agent-1'] },

  // annotations
  { expression: "annotations['correctness'].label == 'correct'", matches: ['llm-1', 'llm-3'] },
  { expression: "evals['correctness'].score < 0.95", matches: ['llm-2', 'llm-3'] },
  { expression: "annotations['correctness'].label != 'correct'", matches: ['llm-2'] },
  {
    expression: "annotations['correctness'] is None",
    matches: ['chain-1', 'tool-1', 'retriever-1', 'agent-1', 'embedding-1'],
  },
  {
    expression: "annotations['relevance'] is not None and annotations['relevance'].label is None",
    matches: ['retriever-1'],
  },
  { expression: "'Hallucinated' in annotations['correctness'].explanation", matches: ['llm-2'] },
  {
    expression: "annotations['hallucination'].score >= 1 or annotations['correctness'].score >= 1",
    matches: ['llm-1', 'llm-2'],
  },
  {
    expression: "trace_annotations['user_feedback'].label == 'thumbs_up'",
    matches: ['llm-1', 'chain-1', 'tool-1', 'retriever-1'],
  },
  {
    expression: "trace_annotations['user_feedback'].score < 1",
    matches: ['agent-1', 'embedding-1', 'llm-3'],
  },

  // boolean logic over missing values (Kleene / SQL three-valued logic)
  { expression: "span_kind == 'LLM' and latency_ms > 1000", matches: ['llm-1', 'llm-3'] },
  { expression: "span_kind == 'TOOL' or status_code == 'ERROR'", matches: ['tool-1', 'llm-2'] },
  {
    expression: "span_kind == 'LLM' and not (llm.model_name == 'gpt-4o')",
    matches: ['llm-2', 'llm-3'],
  },
  {
    expression: "not (metadata['user'] == 'alice')",
    matches: ['llm-2', 'embedding-1'],
    note: 'spans without metadata.user stay unknown under not',
  },
  {
    expression: "metadata['user'] == 'alice' or latency_ms < 100",
    matches: ['llm-1', 'chain-1', 'embedding-1', 'llm-3'],
  },
  {
    expression: "not (metadata['user'] == 'alice' or latency_ms < 100)",
    matches: ['llm-2'],
    note: 'unknown or false is unknown',
  },
  {
    expression: "not (metadata['user'] == 'alice' and latency_ms < 2000)",
    matches: ['chain-1', 'tool-1', 'llm-2', 'embedding-1', 'llm-3'],
    note: 'unknown and false is false',
  },
  { expression: 'True', matches: [...ALL_SPAN_IDS] },
  { expression: 'False', matches: [] },
];

export interface InvalidFilterCase {
  readonly expression: string;
  /** 1-based column of the error (within `line`). */
  readonly column: number;
  /** 1-based line, when not 1. */
  readonly line?: number;
  /** A fragment the error message must contain. */
  readonly message: string;
  /** A fragment of the hint ("Did you mean ...?"), when there is one to check. */
  readonly hint?: string;
}

export const INVALID_FILTER_CASES: readonly InvalidFilterCase[] = [
  // lexical
  { expression: '', column: 1, message: 'The filter is empty' },
  { expression: "name == 'abc", column: 9, message: 'Unterminated string' },
  { expression: "name == 'a\\q'", column: 11, message: "Invalid escape sequence '\\q'" },
  { expression: "name == 'a' $", column: 13, message: "Unexpected character '$'" },
  { expression: 'latency_ms > 1.2.3', column: 14, message: "Invalid number '1.2.3'" },
  { expression: "name == f'x'", column: 9, message: "String prefix 'f' is not supported" },

  // syntax
  { expression: "span_kind == 'LLM' and", column: 20, message: "Expected an expression after 'and'" },
  {
    expression: "span_kind == 'LLM' and )",
    column: 24,
    message: "Expected an expression after 'and', found ')'",
  },
  { expression: 'not', column: 1, message: "Expected an expression after 'not'" },
  { expression: "(span_kind == 'LLM'", column: 1, message: "Unclosed '('" },
  { expression: "span_kind in ['LLM', 'TOOL'", column: 14, message: "Unclosed '['" },
  { expression: "span_kind == 'LLM')", column: 19, message: "Unmatched ')'" },
  { expression: "span_kind = 'LLM'", column: 11, message: "Assignment '=' is not allowed", hint: "Use '=='" },
  {
    expression: "name == 'a' && latency_ms > 1",
    column: 13,
    message: "'&&' is not an operator",
    hint: "'and'",
  },
  {
    expression: "name == 'a' 'b'",
    column: 13,
    message: "Expected an operator or the end of the filter, found string 'b'",
  },
  { expression: "name == 'a' AND latency_ms > 1", column: 13, message: "found name 'AND'", hint: "'and'" },
  { expression: "name not 'a'", column: 10, message: "Expected 'in' after 'not'" },
  { expression: "name == not 'a'", column: 9, message: "'not' cannot be used here" },
  { expression: 'latency_ms ** 2 > 4', column: 12, message: "Operator '**' is not supported" },
  { expression: 'lambda x: x', column: 1, message: 'Lambda expressions are not supported' },
  { expression: '[x for x in y]', column: 4, message: 'Comprehensions are not supported' },
  { expression: "'a' if x else 'b'", column: 5, message: 'Conditional expressions' },
  { expression: "metadata['a', 'b'] == 1", column: 13, message: 'Only one subscript is allowed' },
  {
    expression: "name == 'a'\nand latency_ms >",
    line: 2,
    column: 16,
    message: "Expected an expression after '>'",
  },

  // names
  { expression: "spam_kind == 'LLM'", column: 1, message: "Unknown name 'spam_kind'", hint: "'span_kind'" },
  { expression: 'true', column: 1, message: "Unknown name 'true'", hint: "Did you mean 'True'?" },
  { expression: "foo == 'a'", column: 1, message: "Unknown name 'foo'", hint: "attributes['foo']" },
  { expression: "name.first == 'a'", column: 6, message: "'name' is a span field" },
  {
    expression: 'cumulative_token_count.totl > 1',
    column: 1,
    message: "Unknown field 'cumulative_token_count.totl'",
    hint: "'cumulative_token_count.total'",
  },
  { expression: "attributes == 'a'", column: 1, message: "Expected a key after 'attributes'" },
  { expression: "metadata[user] == 'a'", column: 10, message: 'A subscript must be a string' },
  { expression: "annotations['x'] == 'a'", column: 1, message: 'Expected .label, .score or .explanation' },
  {
    expression: "annotations['x'].lable == 'a'",
    column: 18,
    message: "Unknown annotation field 'lable'",
    hint: "Did you mean 'label'?",
  },
  {
    expression: "annotations.x.label == 'a'",
    column: 13,
    message: 'Expected an annotation name in brackets',
  },
  { expression: 'len(name) > 3', column: 1, message: "Function calls are not supported: 'len'" },
  { expression: "name.startswith('a')", column: 1, message: 'Function calls are not supported' },

  // types
  {
    expression: "latency_ms == 'abc'",
    column: 1,
    message: "Cannot compare latency_ms (number) with 'abc' (string)",
  },
  { expression: 'span_kind > 3', column: 1, message: 'Cannot compare span_kind (string) with 3 (number)' },
  { expression: "annotations['x'].label > 3", column: 1, message: '(string) with 3 (number)' },
  { expression: "name + 1 == 'a1'", column: 1, message: "Cannot apply '+' to name (string) and 1 (number)" },
  { expression: "-name == 'a'", column: 1, message: "Cannot apply unary '-'" },
  { expression: 'start_time + 1 > 5', column: 1, message: "Cannot apply '+'" },
  { expression: 'True < False', column: 1, message: 'Cannot order booleans' },
  {
    expression: 'start_time > 5',
    column: 1,
    message: 'Cannot compare start_time (datetime) with 5 (number)',
  },
  { expression: "start_time > 'yesterday'", column: 14, message: "Invalid datetime 'yesterday'" },
  { expression: "'a' in latency_ms", column: 8, message: "'in' needs a list, a tuple or a string" },
  {
    expression: 'latency_ms in [1, 2] and 1 in name',
    column: 26,
    message: 'Cannot look for 1 (number) in name',
  },
  { expression: "span_kind == 'llm'", column: 14, message: "Unknown span kind 'llm'", hint: "'LLM'" },
  { expression: "status_code in ['OK', 'error']", column: 23, message: "Unknown status code 'error'" },
  {
    expression: 'parent_id == None',
    column: 14,
    message: "Cannot compare with None using '=='",
    hint: 'is None',
  },
  { expression: "parent_id is 'a'", column: 11, message: "'is' can only be followed by None" },
  { expression: 'latency_ms', column: 1, message: 'Expected a condition, but latency_ms is a number' },
  { expression: 'span_kind in []', column: 14, message: "The list after 'in' is empty" },
  { expression: "span_kind in ['LLM', 1]", column: 22, message: 'must have the same type' },
  { expression: "span_kind in ['LLM', None]", column: 22, message: 'None cannot be in a list' },
  { expression: 'span_kind in [name]', column: 15, message: 'List elements must be literals' },
  { expression: "span_kind == ['LLM']", column: 14, message: "A list can only appear on the right of 'in'" },
  { expression: '1 < latency_ms in [1]', column: 16, message: "'in' cannot be chained" },
  { expression: "(span_kind == 'LLM') == True", column: 2, message: 'A condition cannot be used as a value' },
];
