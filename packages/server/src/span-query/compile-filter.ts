import type { AnnotationScope, Condition, SpanField, Value } from '@fawkes/query';
import { type SqlBool, sql } from 'kysely';
import type { JsonPath, QueryDialect, ScalarType, Sql } from './dialect.js';

/** The aliases under which the query names the spans table and its traces (joined on trace_rowid). */
export interface SpanTables {
  readonly spans: string;
  readonly traces: string;
}

export const DEFAULT_SPAN_TABLES: SpanTables = { spans: 'spans', traces: 'traces' };

export interface CompileOptions {
  /** The aliases of spans and traces in the query (default `spans`, `traces`). */
  readonly tables?: SpanTables;
  /**
   * Whether a simple annotation predicate (`annotations['x'].label == 'y'`) also becomes a semi-join
   * (`spans.id IN (SELECT span_rowid FROM span_annotations WHERE ...)`), which lets the database
   * start from the annotations' index: good when few annotations match, bad when most do (a huge
   * list to sort, where walking spans newest first would stop after a page). Default: always.
   * See compileSpanFilterFor, which decides by counting.
   */
  readonly semiJoin?: (candidate: SemiJoinCandidate) => boolean;
}

/**
 * Compiles a checked filter (`parseFilter(text).condition`) to a WHERE condition over `spans`
 * joined to `traces`. A span is selected exactly when @fawkes/query's `evaluateFilter` is true
 * for it (NULL plays the evaluator's "missing" / "unknown").
 *
 * Annotations follow Phoenix, which joins `span_annotations` per referenced name: a span matches
 * when some choice of one annotation per referenced name (or none, when it has none of that name)
 * makes the filter true. With at most one annotation per name, which is the usual case, this is the
 * evaluator's semantics. The result is meant for a WHERE clause: only TRUE matters, so do not wrap it
 * in NOT.
 */
export function compileSpanFilter(
  condition: Condition,
  dialect: QueryDialect,
  options: CompileOptions = {},
): Sql<SqlBool> {
  const tables = options.tables ?? DEFAULT_SPAN_TABLES;
  const conjuncts = flattenAnd(condition);
  const plain = conjuncts.filter((c) => annotationKeys(c).size === 0);
  const annotated = conjuncts.filter((c) => annotationKeys(c).size > 0);
  const parts = plain.map((c) => new FilterCompiler(dialect, tables, noAnnotations).condition(c));

  const semiJoins = annotated
    .filter(isSemiJoinable)
    .map((c) => semiJoinCandidate(c, dialect, tables))
    .filter((candidate) => options.semiJoin?.(candidate) ?? true)
    .map((candidate) => candidate.semiJoin);
  parts.push(...semiJoins);
  // A lone simple predicate is exactly its semi-join; anything else also needs the general form
  // (the semi-joins then stay as implied conditions that let the database start from an index).
  if (!(annotated.length === 1 && semiJoins.length === 1) && annotated.length > 0) {
    parts.push(annotationExists(annotated, dialect, tables));
  }
  if (parts.length === 0) return dialect.boolean(true);
  return parts.length === 1 ? parts[0]! : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
}

/** A simple annotation predicate of a filter, and the two SQL forms that start from the annotations. */
export interface SemiJoinCandidate {
  readonly scope: AnnotationScope;
  readonly name: string;
  /** `SELECT 1 FROM <annotations> WHERE name = ... AND <predicate>`: the matching annotations. */
  readonly matchingAnnotations: Sql;
  /** `spans.id IN (SELECT span_rowid FROM <annotations> WHERE ...)`. */
  readonly semiJoin: Sql<SqlBool>;
}

/** The simple annotation predicates among a filter's top-level conjuncts (see CompileOptions.semiJoin). */
export function semiJoinCandidates(
  condition: Condition,
  dialect: QueryDialect,
  tables: SpanTables = DEFAULT_SPAN_TABLES,
): SemiJoinCandidate[] {
  return flattenAnd(condition)
    .filter(isSemiJoinable)
    .map((c) => semiJoinCandidate(c, dialect, tables));
}

// --- compiled values ---------------------------------------------------------------------------------

type StaticType = 'string' | 'number' | 'boolean' | 'datetime';

/** A value whose type is known statically. NULL is a missing value. */
interface TypedValue {
  readonly kind: 'typed';
  readonly type: StaticType;
  readonly sql: Sql;
}

/** A value whose type is known per span only (an attribute, or `+` of two attributes). */
interface DynamicValue {
  readonly kind: 'dynamic';
  /** The value when it has `type` at run time, else NULL. */
  as(type: ScalarType): Sql;
  isNull(): Sql<SqlBool>;
  /** Set for a JSON attribute: its column and path (arrays, membership). */
  readonly json?: { readonly doc: Sql; readonly path: JsonPath };
}

type CompiledValue = TypedValue | DynamicValue;

/** Where an annotation reference reads its row: a table alias, or nothing (none may appear). */
type AnnotationAliases = (scope: AnnotationScope, name: string) => string;

const noAnnotations: AnnotationAliases = () => {
  throw new Error('annotation references are compiled through annotationExists or semiJoin');
};

const SQL_OPERATORS = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

class FilterCompiler {
  constructor(
    private readonly dialect: QueryDialect,
    private readonly tables: SpanTables,
    private readonly annotationAlias: AnnotationAliases,
  ) {}

  condition(c: Condition): Sql<SqlBool> {
    switch (c.kind) {
      case 'literal':
        return this.dialect.boolean(c.value);
      case 'and':
        return sql`(${sql.join(
          c.operands.map((o) => this.condition(o)),
          sql` and `,
        )})`;
      case 'or':
        return sql`(${sql.join(
          c.operands.map((o) => this.condition(o)),
          sql` or `,
        )})`;
      case 'not':
        return sql`(not ${this.condition(c.operand)})`;
      case 'compare':
        return this.compare(c.op, this.value(c.left), this.value(c.right));
      case 'inList': {
        const operand = this.as(this.value(c.operand), c.valueType);
        const values = c.values.map((v) => this.literal(v));
        return sql`(${operand} ${sql.raw(c.negated ? 'not in' : 'in')} (${sql.join(values)}))`;
      }
      case 'contains': {
        const found = this.contains(this.value(c.needle), this.value(c.haystack));
        return c.negated ? sql`(not ${found})` : found;
      }
      case 'isNull': {
        const operand = c.operand;
        const missing =
          operand.kind === 'annotationEntry'
            ? sql<SqlBool>`(${sql.ref(`${this.annotationAlias(operand.scope, operand.name)}.id`)} is null)`
            : this.isNull(this.value(operand));
        return c.negated ? sql`(not ${missing})` : missing;
      }
      case 'truthy':
        return sql<SqlBool>`${this.attribute(c.operand.path).as('boolean')}`;
    }
  }

  private value(v: Value): CompiledValue {
    switch (v.kind) {
      case 'literal':
        if (v.type === 'datetime') return typed('datetime', this.dialect.number(Math.trunc(v.value) * 1000));
        return typed(v.type, this.literal(v.value));
      case 'field':
        return this.field(v.field);
      case 'attribute':
        return this.attribute(v.path);
      case 'annotation':
        return typed(v.type, sql.ref(`${this.annotationAlias(v.scope, v.name)}.${v.field}`));
      case 'negate':
        return typed('number', sql`(- ${this.as(this.value(v.operand), 'number')})`);
      case 'arithmetic':
        return this.arithmetic(v.op, this.value(v.left), this.value(v.right), v.type);
    }
  }

  private literal(value: string | number | boolean): Sql {
    if (typeof value === 'string') return this.dialect.string(value);
    if (typeof value === 'number') return this.dialect.number(value);
    return this.dialect.boolean(value);
  }

  private column(name: string, table = this.tables.spans): Sql {
    return sql.ref(`${table}.${name}`);
  }

  private field(field: SpanField): TypedValue {
    switch (field) {
      case 'name':
      case 'span_kind':
      case 'status_code':
      case 'status_message':
      case 'parent_id':
      case 'span_id':
        return typed('string', this.column(field));
      case 'trace_id':
        return typed('string', this.column('trace_id', this.tables.traces));
      case 'start_time':
      case 'end_time':
        return typed('datetime', this.column(field));
      case 'latency_ms':
        return typed(
          'number',
          this.dialect.microsToMillis(sql`(${this.column('end_time')} - ${this.column('start_time')})`),
        );
      case 'cumulative_token_count.prompt':
        return typed('number', this.column('cumulative_llm_token_count_prompt'));
      case 'cumulative_token_count.completion':
        return typed('number', this.column('cumulative_llm_token_count_completion'));
      case 'cumulative_token_count.total':
        return typed(
          'number',
          sql`(${this.column('cumulative_llm_token_count_prompt')} + ${this.column('cumulative_llm_token_count_completion')})`,
        );
      // Written with the span (migration 0011, cost/write-time-cost.ts), re-costed on price changes.
      case 'cost.total':
        return typed('number', this.column('cost_total'));
      case 'cost.prompt':
        return typed('number', this.column('cost_prompt'));
      case 'cost.completion':
        return typed('number', this.column('cost_completion'));
    }
  }

  private attribute(path: JsonPath): DynamicValue {
    const doc = this.column('attributes');
    const { dialect } = this;
    return {
      kind: 'dynamic',
      as: (type) => dialect.jsonScalar(doc, path, type),
      isNull: () => dialect.jsonIsNull(doc, path),
      json: { doc, path },
    };
  }

  private as(value: CompiledValue, type: ScalarType | 'datetime'): Sql {
    if (value.kind === 'dynamic') return type === 'datetime' ? sql`null` : value.as(type);
    return value.type === type ? value.sql : sql`null`;
  }

  private isNull(value: CompiledValue): Sql<SqlBool> {
    return value.kind === 'typed' ? sql`(${value.sql} is null)` : value.isNull();
  }

  private arithmetic(
    op: '+' | '-' | '*' | '/',
    left: CompiledValue,
    right: CompiledValue,
    type: 'number' | 'string',
  ): CompiledValue {
    const { dialect } = this;
    if (type === 'string') {
      return typed('string', dialect.concat(this.as(left, 'string'), this.as(right, 'string')));
    }
    const number = (l: Sql, r: Sql): Sql =>
      op === '/' ? dialect.divide(l, r) : dialect.arithmetic(op, l, r);
    if (op === '+' && left.kind === 'dynamic' && right.kind === 'dynamic') {
      // Two attributes: joined when both hold strings, added when both hold numbers.
      const asString = dialect.concat(left.as('string'), right.as('string'));
      const asNumber = number(left.as('number'), right.as('number'));
      return {
        kind: 'dynamic',
        as: (t) => (t === 'string' ? asString : t === 'number' ? asNumber : sql`null`),
        isNull: () => sql`(${asString} is null and ${asNumber} is null)`,
      };
    }
    return typed('number', number(this.as(left, 'number'), this.as(right, 'number')));
  }

  private compare(op: keyof typeof SQL_OPERATORS, left: CompiledValue, right: CompiledValue): Sql<SqlBool> {
    if (left.kind === 'typed' || right.kind === 'typed') {
      const type = left.kind === 'typed' ? left.type : (right as TypedValue).type;
      return this.compareAs(type, op, this.as(left, type), this.as(right, type));
    }
    // Both dynamic: equal types compare, different types are unknown (NULL), as in the evaluator.
    const branches = (['string', 'number', 'boolean'] as const)
      .filter((type) => type !== 'boolean' || op === '==' || op === '!=')
      .map((type) => {
        const l = left.as(type);
        const r = right.as(type);
        return sql`when ${l} is not null and ${r} is not null then ${this.compareAs(type, op, l, r)}`;
      });
    return sql`(case ${sql.join(branches, sql` `)} end)`;
  }

  private compareAs(type: StaticType, op: keyof typeof SQL_OPERATORS, left: Sql, right: Sql): Sql<SqlBool> {
    if (type === 'string' && op !== '==' && op !== '!=') return this.dialect.compareStrings(left, op, right);
    return sql`(${left} ${sql.raw(SQL_OPERATORS[op])} ${right})`;
  }

  private contains(needle: CompiledValue, haystack: CompiledValue): Sql<SqlBool> {
    const { dialect } = this;
    const substring = dialect.contains(this.as(haystack, 'string'), this.as(needle, 'string'));
    if (haystack.kind === 'typed' || !haystack.json) return substring;
    const { doc, path } = haystack.json;
    const includes = (type: ScalarType) =>
      sql`when ${this.as(needle, type)} is not null then ${dialect.jsonArrayIncludes(doc, path, this.as(needle, type), type)}`;
    const needleTypes: ScalarType[] =
      needle.kind === 'dynamic'
        ? ['string', 'number', 'boolean']
        : needle.type === 'datetime'
          ? []
          : [needle.type];
    const membership = needleTypes.length
      ? sql`(case ${sql.join(needleTypes.map(includes), sql` `)} end)`
      : sql`null`;
    // A string attribute: substring; an array attribute: membership; anything else: unknown.
    return sql`(case when ${haystack.as('string')} is not null then ${substring}
      when ${dialect.jsonIsArray(doc, path)} then ${membership} end)`;
  }
}

function typed(type: StaticType, expression: Sql): TypedValue {
  return { kind: 'typed', type, sql: expression };
}

// --- annotations -------------------------------------------------------------------------------------

function flattenAnd(condition: Condition): Condition[] {
  return condition.kind === 'and' ? condition.operands.flatMap(flattenAnd) : [condition];
}

function annotationKey(scope: AnnotationScope, name: string): string {
  return `${scope}\u0000${name}`;
}

/** The (scope, name) pairs of the annotations a condition reads. */
function annotationKeys(condition: Condition): Map<string, { scope: AnnotationScope; name: string }> {
  const keys = new Map<string, { scope: AnnotationScope; name: string }>();
  const visitValue = (v: Value): void => {
    if (v.kind === 'annotation') keys.set(annotationKey(v.scope, v.name), { scope: v.scope, name: v.name });
    else if (v.kind === 'arithmetic') {
      visitValue(v.left);
      visitValue(v.right);
    } else if (v.kind === 'negate') visitValue(v.operand);
  };
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case 'and':
      case 'or':
        c.operands.forEach(visit);
        break;
      case 'not':
        visit(c.operand);
        break;
      case 'compare':
        visitValue(c.left);
        visitValue(c.right);
        break;
      case 'inList':
        visitValue(c.operand);
        break;
      case 'contains':
        visitValue(c.needle);
        visitValue(c.haystack);
        break;
      case 'isNull':
        if (c.operand.kind === 'annotationEntry') {
          keys.set(annotationKey(c.operand.scope, c.operand.name), c.operand);
        } else visitValue(c.operand);
        break;
      case 'truthy':
      case 'literal':
        break;
    }
  };
  visit(condition);
  return keys;
}

const ANNOTATION_TABLES = {
  span: { table: 'span_annotations', target: 'span_rowid', spanColumn: 'id' },
  trace: { table: 'trace_annotations', target: 'trace_rowid', spanColumn: 'trace_rowid' },
} as const;

/**
 * A predicate on one annotation that can only be true for an annotation row that exists
 * (`annotations['x'].label == 'y'`, `annotations['x'] is not None`...), with nothing else from the span.
 */
function isSemiJoinable(condition: Condition): boolean {
  if (annotationKeys(condition).size !== 1) return false;
  const annotationOrLiteral = (v: Value) => v.kind === 'annotation' || v.kind === 'literal';
  switch (condition.kind) {
    case 'compare':
      return annotationOrLiteral(condition.left) && annotationOrLiteral(condition.right);
    case 'inList':
      return condition.operand.kind === 'annotation';
    case 'contains':
      return annotationOrLiteral(condition.needle) && annotationOrLiteral(condition.haystack);
    case 'isNull':
      return condition.negated;
    default:
      return false;
  }
}

function semiJoinCandidate(
  condition: Condition,
  dialect: QueryDialect,
  tables: SpanTables,
): SemiJoinCandidate {
  const [{ scope, name }] = [...annotationKeys(condition).values()] as [
    { scope: AnnotationScope; name: string },
  ];
  const { table, target, spanColumn } = ANNOTATION_TABLES[scope];
  const alias = '_annotation';
  const predicate = new FilterCompiler(dialect, tables, () => alias).condition(condition);
  const from = sql`from ${sql.table(table)} as ${sql.raw(alias)}
    where ${sql.ref(`${alias}.name`)} = ${dialect.string(name)} and ${predicate}`;
  return {
    scope,
    name,
    matchingAnnotations: sql`select 1 ${from}`,
    semiJoin: sql<SqlBool>`(${sql.ref(`${tables.spans}.${spanColumn}`)} in (select ${sql.ref(`${alias}.${target}`)} ${from}))`,
  };
}

/**
 * The general form: one LEFT JOIN per referenced annotation name from a one-row table, so that a
 * span without that annotation still has one (all-NULL) row to test, as in Phoenix's outer join.
 */
function annotationExists(conditions: Condition[], dialect: QueryDialect, tables: SpanTables): Sql<SqlBool> {
  const aliases = new Map<string, string>();
  const joins: Sql[] = [];
  for (const condition of conditions) {
    for (const [key, { scope, name }] of annotationKeys(condition)) {
      if (aliases.has(key)) continue;
      const alias = `_annotation${aliases.size}`;
      aliases.set(key, alias);
      const { table, target, spanColumn } = ANNOTATION_TABLES[scope];
      joins.push(sql`left join ${sql.table(table)} as ${sql.raw(alias)}
        on ${sql.ref(`${alias}.${target}`)} = ${sql.ref(`${tables.spans}.${spanColumn}`)}
        and ${sql.ref(`${alias}.name`)} = ${dialect.string(name)}`);
    }
  }
  const compiler = new FilterCompiler(
    dialect,
    tables,
    (scope, name) => aliases.get(annotationKey(scope, name))!,
  );
  const predicate = sql.join(
    conditions.map((c) => compiler.condition(c)),
    sql` and `,
  );
  return sql`exists (select 1 from (select 1 as one) as _one ${sql.join(joins, sql` `)} where ${predicate})`;
}
