export type * from './ast.js';
export { check } from './checker.js';
export { type ParsedDateTime, parseDateTime, parseIsoDatetime, toEpochMillis } from './datetime.js';
export { locate, QueryError, type QueryErrorInfo, type QueryErrorInit } from './errors.js';
export {
  createSpanPredicate,
  evaluateCondition,
  evaluateFilter,
  evaluateValue,
  type FilterAnnotation,
  type FilterSpan,
  type Truth,
} from './evaluate.js';
export { type FilterExpression, type FilterValidation, parseFilter, validateFilter } from './filter.js';
export { formatAst } from './format.js';
export { describeToken, type Token, type TokenType, tokenize } from './lexer.js';
export * from './names.js';
export { BINDING_POWER, parse } from './parser.js';
export type * from './resolved.js';
export { closest, didYouMean, levenshtein } from './suggest.js';
