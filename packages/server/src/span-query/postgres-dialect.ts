import { type SqlBool, sql } from 'kysely';
import {
  finiteNumber,
  type JsonPath,
  type OrderOp,
  type QueryDialect,
  type ScalarType,
  type Sql,
} from './dialect.js';

/**
 * `doc -> 'metadata' -> 'user.id' -> 0`: a text step only reads object keys and an integer step only
 * indexes arrays (NULL otherwise), which is exactly the evaluator's path semantics. Keys are
 * inlined as escaped literals so that PostgreSQL never has to guess a parameter's type.
 */
function jsonAt(doc: Sql, path: JsonPath): Sql {
  let expression = doc;
  for (const step of path) expression = sql`(${expression} -> ${sql.lit(step)})`;
  return expression;
}

const JSONB_TYPES: Record<ScalarType, string> = { string: 'string', number: 'number', boolean: 'boolean' };

function scalar(value: Sql, type: ScalarType): Sql {
  switch (type) {
    case 'string':
      return sql`(${value} #>> '{}')`;
    case 'number':
      return sql`(${value})::double precision`;
    case 'boolean':
      return sql`(${value})::boolean`;
  }
}

/**
 * PostgreSQL: attributes are jsonb. Typed reads test `jsonb_typeof` before casting (a CASE guards
 * the cast, which would otherwise fail on a value of another type); string order uses the "C"
 * collation so that it does not depend on the database's locale.
 */
export const postgresDialect: QueryDialect = {
  name: 'postgresql',

  string: (value) => sql<string>`cast(${value} as text)`,
  // A typed parameter, never text in the SQL (there `Infinity` would be an identifier). A whole
  // number stays an integer so that comparisons with integer columns keep their indexes.
  number: (value) =>
    Number.isSafeInteger(value)
      ? sql<number>`cast(${finiteNumber(value)} as bigint)`
      : sql<number>`cast(${finiteNumber(value)} as double precision)`,
  boolean: (value) => sql`${sql.lit(value)}`,

  jsonScalar(doc, path, type) {
    const value = jsonAt(doc, path);
    return sql`(case when jsonb_typeof(${value}) = ${sql.lit(JSONB_TYPES[type])} then ${scalar(value, type)} end)`;
  },
  jsonIsNull: (doc, path) => sql`(coalesce(jsonb_typeof(${jsonAt(doc, path)}), 'null') = 'null')`,
  jsonIsArray: (doc, path) => sql`coalesce(jsonb_typeof(${jsonAt(doc, path)}) = 'array', false)`,
  // jsonb equality compares type and value (1 = 1.0, but 1 <> '1' and 1 <> true); no cast can fail.
  jsonArrayIncludes: (doc, path, needle) =>
    sql`exists (select 1 from jsonb_array_elements(${jsonAt(doc, path)}) as _element(value)
      where _element.value = to_jsonb(${needle}))`,

  contains: (haystack, needle) => sql`(strpos(${haystack}, ${needle}) > 0)`,
  compareStrings: (left: Sql, op: OrderOp, right: Sql) => sql`(${left} ${sql.raw(op)} ${right} collate "C")`,
  concat: (left, right) => sql<string>`(${left} || ${right})`,
  // bigint arithmetic raises "bigint out of range" (a 500) where SQLite and the evaluator go on in doubles.
  arithmetic: (op, left, right) =>
    sql<number>`(cast(${left} as double precision) ${sql.raw(op)} cast(${right} as double precision))`,
  divide: (left, right) =>
    sql<number>`(cast(${left} as double precision) / nullif(cast(${right} as double precision), 0))`,
  microsToMillis: (micros) => sql<number>`(cast(${micros} as double precision) / 1000)`,

  // The planner joins with statistics; a plain condition on the joined trace lets it.
  spanInProject: (_spans, traces, projectId) =>
    sql<SqlBool>`(${sql.ref(`${traces}.project_id`)} = ${sql.lit(projectId)})`,
};
