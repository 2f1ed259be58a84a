import { type RawBuilder, sql } from 'kysely';
import type { QueryDialect, Sql } from '../span-query/dialect.js';
import type { RulePass, TokenPrices } from './price-rules.js';

/** SQLite's name for the case-insensitive regular-expression test (registered by openSqlite). */
export const SQLITE_REGEXP_FUNCTION = 'fawkes_regexp_i';

/** `fawkes_regexp_i(pattern, value)`: PostgreSQL's `value ~* pattern`, for SQLite (NULL when either is). */
export function sqliteRegexp(pattern: unknown, value: unknown): number | null {
  if (typeof pattern !== 'string' || typeof value !== 'string') return null;
  return patternCache(pattern).test(value) ? 1 : 0;
}

const regexes = new Map<string, RegExp>();
function patternCache(pattern: string): RegExp {
  let regex = regexes.get(pattern);
  if (!regex) {
    if (regexes.size > 10_000) regexes.clear();
    regex = new RegExp(pattern, 'i');
    regexes.set(pattern, regex);
  }
  return regex;
}

export type CostPart = 'prompt' | 'completion' | 'total';

/**
 * A span's cost in SQL, computed when read: the first rule of `passes` that matches its
 * `llm.model_name` (and, in a same-provider pass, its `llm.provider`) prices its token counts, as
 * `ruleFor` and `costOf` do in TypeScript. NULL when no rule matches (no model name, or an unknown
 * model). `spans` is the alias of the spans table in the query.
 */
export function spanCostSql(
  passes: readonly RulePass[],
  dialect: QueryDialect,
  part: CostPart,
  spans = 'spans',
): Sql<number | null> {
  const doc = sql.ref(`${spans}.attributes`);
  const count = (...path: string[]) =>
    sql<number>`coalesce(${dialect.jsonScalar(doc, ['llm', 'token_count', ...path], 'number')}, 0)`;
  const tokens: SqlTokens = {
    prompt: count('prompt'),
    completion: count('completion'),
    cacheRead: count('prompt_details', 'cache_read'),
    cacheWrite: count('prompt_details', 'cache_write'),
    reasoning: count('completion_details', 'reasoning'),
  };
  const model = sql`trim(${dialect.jsonScalar(doc, ['llm', 'model_name'], 'string')})`;
  const provider = sql`lower(trim(${dialect.jsonScalar(doc, ['llm', 'provider'], 'string')}))`;
  const matches = (pattern: string): Sql =>
    dialect.name === 'postgresql'
      ? sql`(${model} ~* ${dialect.string(pattern)})`
      : sql`(${sql.raw(SQLITE_REGEXP_FUNCTION)}(${dialect.string(pattern)}, ${model}) = 1)`;
  const whens: Sql[] = [];
  for (const pass of passes) {
    for (const rule of pass.rules) {
      const condition =
        pass.sameProvider && rule.provider !== null
          ? sql`(${provider} = ${dialect.string(rule.provider)} and ${matches(rule.pattern)})`
          : matches(rule.pattern);
      whens.push(sql`when ${condition} then ${formula(rule.prices, tokens, part, dialect)}`);
    }
  }
  if (whens.length === 0) return sql`null`;
  return sql`(case when ${model} is null or ${model} = '' then null ${sql.join(whens, sql` `)} end)`;
}

interface SqlTokens {
  prompt: Sql<number>;
  completion: Sql<number>;
  cacheRead: Sql<number>;
  cacheWrite: Sql<number>;
  reasoning: Sql<number>;
}

/** costOf (span-cost.ts) in SQL. */
function formula(
  prices: TokenPrices,
  t: SqlTokens,
  part: CostPart,
  dialect: QueryDialect,
): RawBuilder<number> {
  const price = (value: number) => dialect.number(value);
  const atLeastZero = (x: Sql) => sql`(case when ${x} < 0 then 0 else ${x} end)`;
  const side = (total: Sql, details: [Sql, number | null][], plainPrice: number): Sql => {
    const priced = details.filter(([, p]) => p !== null) as [Sql, number][];
    const plain = priced.reduce<Sql>((acc, [count]) => sql`(${acc} - ${count})`, total);
    const terms = [
      sql`${atLeastZero(plain)} * ${price(plainPrice)}`,
      ...priced.map(([count, p]) => sql`${count} * ${price(p)}`),
    ];
    return sql`(${sql.join(terms, sql` + `)})`;
  };
  const prompt = () =>
    side(
      t.prompt,
      [
        [t.cacheRead, prices.cacheRead],
        [t.cacheWrite, prices.cacheWrite],
      ],
      prices.prompt,
    );
  const completion = () => side(t.completion, [[t.reasoning, prices.reasoning]], prices.completion);
  if (part === 'prompt') return sql`${prompt()}`;
  if (part === 'completion') return sql`${completion()}`;
  return sql`(${prompt()} + ${completion()})`;
}
