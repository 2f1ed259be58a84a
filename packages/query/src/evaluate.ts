import { toEpochMillis } from './datetime.js';
import { type FilterExpression, parseFilter } from './filter.js';
import type { SpanField } from './names.js';
import type {
  AnnotationEntry,
  AnnotationRef,
  AttributeRef,
  CompareOp,
  Condition,
  Value,
} from './resolved.js';

/** An annotation as the evaluator sees it (one per name; the caller picks which one when there are several). */
export interface FilterAnnotation {
  readonly label?: string | null;
  readonly score?: number | null;
  readonly explanation?: string | null;
}

/** A span as the evaluator sees it. Missing and `null` properties are both missing values. */
export interface FilterSpan {
  readonly name?: string | null;
  readonly span_kind?: string | null;
  readonly status_code?: string | null;
  readonly status_message?: string | null;
  readonly parent_id?: string | null;
  readonly span_id?: string | null;
  readonly trace_id?: string | null;
  /** Date, ISO 8601 string or epoch milliseconds. */
  readonly start_time?: Date | string | number | null;
  readonly end_time?: Date | string | number | null;
  /** When given, used as is; otherwise `end_time - start_time` in milliseconds. */
  readonly latency_ms?: number | null;
  /** Nested (unflattened) attributes: `{ llm: { model_name: 'gpt-4o' } }`. */
  readonly attributes?: Readonly<Record<string, unknown>> | null;
  readonly cumulative_token_count?: {
    readonly prompt?: number | null;
    readonly completion?: number | null;
    readonly total?: number | null;
  } | null;
  /** US dollars (the server computes them from token counts and prices); missing: no price. */
  readonly cost?: {
    readonly total?: number | null;
    readonly prompt?: number | null;
    readonly completion?: number | null;
  } | null;
  /** The span's annotations by name. */
  readonly annotations?: Readonly<Record<string, FilterAnnotation | null | undefined>> | null;
  /** The annotations of the span's trace by name (the caller attaches them to each span of the trace). */
  readonly trace_annotations?: Readonly<Record<string, FilterAnnotation | null | undefined>> | null;
}

/** SQL's three truth values: true, false and unknown (`null`). */
export type Truth = boolean | null;

/**
 * Does the span match the filter? Only a condition that is TRUE matches: FALSE and UNKNOWN (a comparison
 * with a missing value) do not, exactly as in a SQL WHERE clause.
 */
export function evaluateFilter(filter: FilterExpression | string, span: FilterSpan): boolean {
  const expression = typeof filter === 'string' ? parseFilter(filter) : filter;
  return evaluateCondition(expression.condition, span) === true;
}

/** A predicate for `Array.prototype.filter`; parses once. Throws {@link QueryError} for a bad filter. */
export function createSpanPredicate(filter: FilterExpression | string): (span: FilterSpan) => boolean {
  const expression = typeof filter === 'string' ? parseFilter(filter) : filter;
  return (span) => evaluateCondition(expression.condition, span) === true;
}

/** The three-valued truth of a condition for a span. */
export function evaluateCondition(condition: Condition, span: FilterSpan): Truth {
  switch (condition.kind) {
    case 'literal':
      return condition.value;
    case 'compare':
      return compare(condition.op, evaluateValue(condition.left, span), evaluateValue(condition.right, span));
    case 'inList': {
      const value = evaluateValue(condition.operand, span);
      if (value === null || typeof value !== condition.valueType) return null;
      const found = condition.values.includes(value as string | number | boolean);
      return condition.negated ? !found : found;
    }
    case 'contains': {
      const found = contains(evaluateValue(condition.needle, span), evaluateValue(condition.haystack, span));
      return condition.negated ? not(found) : found;
    }
    case 'isNull': {
      const operand = condition.operand;
      const missing =
        operand.kind === 'annotationEntry'
          ? annotationEntry(operand, span) === null
          : evaluateValue(operand, span) === null;
      return condition.negated ? !missing : missing;
    }
    case 'and': {
      let result: Truth = true;
      for (const operand of condition.operands) {
        const truth = evaluateCondition(operand, span);
        if (truth === false) return false;
        if (truth === null) result = null;
      }
      return result;
    }
    case 'or': {
      let result: Truth = false;
      for (const operand of condition.operands) {
        const truth = evaluateCondition(operand, span);
        if (truth === true) return true;
        if (truth === null) result = null;
      }
      return result;
    }
    case 'not':
      return not(evaluateCondition(condition.operand, span));
    case 'truthy': {
      const value = evaluateValue(condition.operand, span);
      return typeof value === 'boolean' ? value : null;
    }
  }
}

/** The value of an expression for a span; `null` is a missing value. Datetimes are epoch milliseconds. */
export function evaluateValue(value: Value, span: FilterSpan): unknown {
  switch (value.kind) {
    case 'literal':
      return value.value;
    case 'field':
      return field(value.field, span);
    case 'attribute':
      return attribute(value, span);
    case 'annotation':
      return annotation(value, span);
    case 'negate': {
      const operand = evaluateValue(value.operand, span);
      return typeof operand === 'number' ? -operand : null;
    }
    case 'arithmetic': {
      const left = evaluateValue(value.left, span);
      const right = evaluateValue(value.right, span);
      if (value.op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
      if (typeof left !== 'number' || typeof right !== 'number') return null;
      let result: number;
      switch (value.op) {
        case '+':
          result = left + right;
          break;
        case '-':
          result = left - right;
          break;
        case '*':
          result = left * right;
          break;
        case '/':
          // division by zero is a missing value (SQLite returns NULL; Postgres needs NULLIF(divisor, 0))
          if (right === 0) return null;
          result = left / right;
          break;
      }
      return Number.isFinite(result) ? result : null;
    }
  }
}

function not(truth: Truth): Truth {
  return truth === null ? null : !truth;
}

type Scalar = string | number | boolean;

function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Values of different runtime types (or non-scalars) compare as unknown, like a typed SQL extraction. */
function compare(op: CompareOp, left: unknown, right: unknown): Truth {
  if (!isScalar(left) || !isScalar(right) || typeof left !== typeof right) return null;
  switch (op) {
    case '==':
      return left === right;
    case '!=':
      return left !== right;
  }
  if (typeof left === 'boolean') return null;
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
  }
}

function contains(needle: unknown, haystack: unknown): Truth {
  if (needle === null || haystack === null) return null;
  if (typeof haystack === 'string') return typeof needle === 'string' ? haystack.includes(needle) : null;
  if (Array.isArray(haystack)) {
    if (!isScalar(needle)) return null;
    return haystack.some((element) => typeof element === typeof needle && element === needle);
  }
  return null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function field(name: SpanField, span: FilterSpan): string | number | null {
  switch (name) {
    case 'name':
    case 'span_kind':
    case 'status_code':
    case 'status_message':
    case 'parent_id':
    case 'span_id':
    case 'trace_id':
      return stringOrNull(span[name]);
    case 'start_time':
    case 'end_time':
      return toEpochMillis(span[name]);
    case 'latency_ms': {
      const given = numberOrNull(span.latency_ms);
      if (given !== null) return given;
      const start = toEpochMillis(span.start_time);
      const end = toEpochMillis(span.end_time);
      return start === null || end === null ? null : end - start;
    }
    case 'cumulative_token_count.prompt':
      return numberOrNull(span.cumulative_token_count?.prompt);
    case 'cumulative_token_count.completion':
      return numberOrNull(span.cumulative_token_count?.completion);
    case 'cumulative_token_count.total':
      return numberOrNull(span.cumulative_token_count?.total);
    case 'cost.total':
      return numberOrNull(span.cost?.total);
    case 'cost.prompt':
      return numberOrNull(span.cost?.prompt);
    case 'cost.completion':
      return numberOrNull(span.cost?.completion);
  }
}

function attribute(ref: AttributeRef, span: FilterSpan): unknown {
  let current: unknown = span.attributes ?? null;
  for (const key of ref.path) {
    if (current === null || typeof current !== 'object') return null;
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return null;
      current = current[key];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, key)) return null;
      current = (current as Record<string, unknown>)[key];
    }
    if (current === undefined) return null;
  }
  return current;
}

function annotationEntry(ref: AnnotationRef | AnnotationEntry, span: FilterSpan): FilterAnnotation | null {
  const table = ref.scope === 'span' ? span.annotations : span.trace_annotations;
  if (!table || !Object.hasOwn(table, ref.name)) return null;
  const entry = table[ref.name];
  return entry !== null && typeof entry === 'object' ? entry : null;
}

function annotation(ref: AnnotationRef, span: FilterSpan): string | number | null {
  const entry = annotationEntry(ref, span);
  if (!entry) return null;
  return ref.field === 'score' ? numberOrNull(entry.score) : stringOrNull(entry[ref.field]);
}
