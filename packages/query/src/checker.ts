import type { CompareNode, ComparisonOperator, Expr, ListNode } from './ast.js';
import { parseIsoDatetime } from './datetime.js';
import { QueryError, type QueryErrorInit } from './errors.js';
import {
  ANNOTATION_FIELD_NAMES,
  ANNOTATION_FIELDS,
  ANNOTATION_ROOTS,
  type AnnotationField,
  ATTRIBUTES_ROOT,
  ENUM_FIELDS,
  FIELD_NAMESPACES,
  KNOWN_BARE_NAMES,
  METADATA_ROOT,
  resolveSpanField,
  SPAN_FIELD_ALIASES,
  SPAN_FIELD_NAMES,
  SPAN_FIELDS,
  SPECIAL_ROOTS,
  type SpanField,
} from './names.js';
import type { AnnotationEntry, AttributeRef, CompareOp, Condition, LiteralValue, Value } from './resolved.js';
import { closest, didYouMean } from './suggest.js';

/**
 * Checks a parsed filter and resolves it: classifies every name, infers types, rejects what cannot be
 * evaluated (calls, type mismatches known statically...). Throws {@link QueryError}.
 */
export function check(ast: Expr, source: string): Condition {
  return new Checker(source).condition(ast);
}

type StaticType = Value['type'];

const TYPE_NAMES: Record<StaticType, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'a boolean',
  datetime: 'a datetime',
  dynamic: 'an attribute',
};

interface Accessor {
  readonly kind: 'member' | 'index';
  readonly key: string | number;
  readonly start: number;
  readonly end: number;
}

const ENUM_LABELS: Partial<Record<SpanField, string>> = {
  span_kind: 'span kind',
  status_code: 'status code',
};

class Checker {
  constructor(private readonly source: string) {}

  private fail(
    node: { start: number; end: number },
    reason: string,
    extra: Partial<QueryErrorInit> = {},
  ): never {
    throw new QueryError(this.source, {
      reason,
      position: node.start,
      length: node.end - node.start,
      ...extra,
    });
  }

  /** The source text of a node, shortened for messages. */
  private text(node: { start: number; end: number }): string {
    const text = this.source.slice(node.start, node.end).replace(/\s+/g, ' ');
    return text.length > 40 ? `${text.slice(0, 37)}...` : text;
  }

  // --- conditions ------------------------------------------------------------------------------------

  condition(node: Expr): Condition {
    switch (node.type) {
      case 'logical': {
        const kind = node.operator;
        const operands: Condition[] = [];
        for (const side of [node.left, node.right]) {
          const checked = this.condition(side);
          // flatten a and (b and c) into one node
          if (checked.kind === kind) operands.push(...checked.operands);
          else operands.push(checked);
        }
        return { kind, operands, start: node.start, end: node.end };
      }
      case 'unary':
        if (node.operator === 'not') {
          return { kind: 'not', operand: this.condition(node.operand), start: node.start, end: node.end };
        }
        break;
      case 'compare':
        return this.comparison(node);
      case 'boolean':
        return { kind: 'literal', type: 'boolean', value: node.value, start: node.start, end: node.end };
    }
    const value = this.value(node);
    if (value.kind === 'attribute')
      return { kind: 'truthy', operand: value, start: node.start, end: node.end };
    const example =
      value.type === 'number'
        ? `${this.text(node)} > 0`
        : value.type === 'datetime'
          ? `${this.text(node)} > '2024-01-01'`
          : `${this.text(node)} == '...'`;
    return this.fail(node, `Expected a condition, but ${this.text(node)} is ${TYPE_NAMES[value.type]}`, {
      hint: `Compare it, e.g. ${example}`,
    });
  }

  private comparison(node: CompareNode): Condition {
    const conditions: Condition[] = [];
    let left = node.left;
    for (const link of node.comparisons) {
      if (
        node.comparisons.length > 1 &&
        (link.operator === 'in' ||
          link.operator === 'not in' ||
          link.operator === 'is' ||
          link.operator === 'is not')
      ) {
        this.fail(link, `'${link.operator}' cannot be chained with other comparisons`, {
          hint: "Split it with 'and'",
        });
      }
      conditions.push(this.pair(link.operator, left, link.right, link));
      left = link.right;
    }
    if (conditions.length === 1) return conditions[0]!;
    // Python semantics: a < b < c means a < b and b < c
    return { kind: 'and', operands: conditions, start: node.start, end: node.end };
  }

  private pair(
    op: ComparisonOperator,
    leftNode: Expr,
    rightNode: Expr,
    operator: { start: number; end: number },
  ): Condition {
    const range = { start: leftNode.start, end: rightNode.end };
    if (op === 'is' || op === 'is not') {
      if (rightNode.type !== 'none') {
        this.fail(operator, `'${op}' can only be followed by None`, {
          hint: `Use '${op === 'is' ? '==' : '!='}' to compare values`,
          expected: ['None'],
        });
      }
      if (leftNode.type === 'none' || leftNode.type === 'list') {
        this.fail(leftNode, `'${op} None' needs a field or an attribute on its left`);
      }
      const operand = this.reference(leftNode);
      return { kind: 'isNull', negated: op === 'is not', operand, ...range };
    }

    if (op === 'in' || op === 'not in') {
      const negated = op === 'not in';
      if (rightNode.type === 'list') {
        const operand = this.value(leftNode);
        const { values, valueType } = this.listValues(rightNode);
        if (operand.type !== valueType && operand.type !== 'dynamic') {
          this.fail(range, `Cannot look for ${this.describe(operand)} in a list of ${valueType}s`);
        }
        if (operand.kind === 'field' && valueType === 'string') {
          rightNode.elements.forEach((element, i) => {
            this.checkEnum(operand.field, values[i] as string, element);
          });
        }
        return { kind: 'inList', negated, operand, values, valueType, ...range };
      }
      if (leftNode.type === 'list') this.fail(leftNode, "A list can only appear on the right of 'in'");
      const haystack = this.value(rightNode);
      const needle = this.value(leftNode);
      if (haystack.type === 'string') {
        if (needle.type !== 'string' && needle.type !== 'dynamic') {
          this.fail(range, `Cannot look for ${this.describe(needle)} in ${this.describe(haystack)}`, {
            hint: "The left side of 'in' must be a string when the right side is a string",
          });
        }
      } else if (haystack.type === 'dynamic') {
        if (needle.type === 'datetime') {
          this.fail(range, `Cannot look for ${this.describe(needle)} in ${this.describe(haystack)}`);
        }
      } else {
        this.fail(
          rightNode,
          `'${op}' needs a list, a tuple or a string on its right, but ${this.text(rightNode)} is ${TYPE_NAMES[haystack.type]}`,
          {
            hint: "e.g. span_kind in ['LLM', 'TOOL'] or 'error' in status_message",
          },
        );
      }
      return { kind: 'contains', negated, needle, haystack, ...range };
    }

    // == != < <= > >=
    if (leftNode.type === 'none' || rightNode.type === 'none') {
      const none = leftNode.type === 'none' ? leftNode : rightNode;
      if (op === '==' || op === '!=') {
        this.fail(none, `Cannot compare with None using '${op}'`, {
          hint: `Use '${op === '==' ? 'is None' : 'is not None'}'`,
        });
      }
      this.fail(none, `Cannot order with None using '${op}'`);
    }
    for (const side of [leftNode, rightNode]) {
      if (side.type === 'list') {
        this.fail(side, `A list can only appear on the right of 'in', not with '${op}'`, {
          hint: "Use 'in' to test membership",
        });
      }
    }
    let left = this.value(leftNode);
    let right = this.value(rightNode);
    if (left.type === 'datetime' && right.kind === 'literal' && right.type === 'string') {
      right = this.datetimeLiteral(right);
    } else if (right.type === 'datetime' && left.kind === 'literal' && left.type === 'string') {
      left = this.datetimeLiteral(left);
    }
    const compatible =
      left.type === right.type ||
      (left.type === 'dynamic' && right.type !== 'datetime') ||
      (right.type === 'dynamic' && left.type !== 'datetime');
    if (!compatible) {
      this.fail(range, `Cannot compare ${this.describe(left)} with ${this.describe(right)}`, {
        ...(left.type === 'datetime' || right.type === 'datetime'
          ? { hint: "Compare datetimes with ISO 8601 strings, e.g. start_time > '2024-05-01T00:00:00Z'" }
          : {}),
      });
    }
    if (op !== '==' && op !== '!=' && (left.type === 'boolean' || right.type === 'boolean')) {
      this.fail(range, `Cannot order booleans with '${op}'`);
    }
    if (op === '==' || op === '!=') {
      if (left.kind === 'field' && right.kind === 'literal' && right.type === 'string') {
        this.checkEnum(left.field, right.value, right);
      } else if (right.kind === 'field' && left.kind === 'literal' && left.type === 'string') {
        this.checkEnum(right.field, left.value, left);
      }
    }
    return { kind: 'compare', op: op as CompareOp, left, right, ...range };
  }

  private describe(value: Value): string {
    return `${this.text(value)} (${value.type === 'dynamic' ? 'attribute' : value.type})`;
  }

  private datetimeLiteral(literal: LiteralValue & { type: 'string' }): LiteralValue {
    const ms = parseIsoDatetime(literal.value);
    if (ms === undefined) {
      return this.fail(literal, `Invalid datetime ${this.text(literal)}`, {
        hint: "Use ISO 8601, e.g. '2024-05-01T10:00:00Z' or '2024-05-01'",
      });
    }
    return {
      kind: 'literal',
      type: 'datetime',
      value: ms,
      iso: new Date(ms).toISOString(),
      start: literal.start,
      end: literal.end,
    };
  }

  private checkEnum(field: SpanField, value: string, node: { start: number; end: number }): void {
    const allowed = ENUM_FIELDS[field];
    if (!allowed || allowed.includes(value)) return;
    this.fail(node, `Unknown ${ENUM_LABELS[field] ?? field} '${value}'`, {
      hint: didYouMean(value, allowed) ?? `Expected one of ${allowed.join(', ')}`,
      expected: [...allowed],
    });
  }

  private listValues(list: ListNode): {
    values: (string | number | boolean)[];
    valueType: 'string' | 'number' | 'boolean';
  } {
    if (list.elements.length === 0) {
      this.fail(list, `The ${list.kind} after 'in' is empty`, { hint: 'Give at least one value' });
    }
    const values: (string | number | boolean)[] = [];
    let valueType: 'string' | 'number' | 'boolean' | undefined;
    for (const element of list.elements) {
      let literal: { value: string | number | boolean; type: 'string' | 'number' | 'boolean' };
      if (element.type === 'number') {
        literal = { value: this.finite(element), type: 'number' };
      } else if (element.type === 'string' || element.type === 'boolean') {
        literal = { value: element.value, type: element.type };
      } else if (element.type === 'unary' && element.operator === '-' && element.operand.type === 'number') {
        literal = { value: -this.finite(element.operand), type: 'number' };
      } else if (element.type === 'none') {
        return this.fail(element, `None cannot be in a ${list.kind}`, {
          hint: "Test for a missing value with 'is None'",
        });
      } else {
        return this.fail(element, `${list.kind === 'list' ? 'List' : 'Tuple'} elements must be literals`, {
          hint: 'Use strings, numbers, True or False',
        });
      }
      if (valueType !== undefined && literal.type !== valueType) {
        this.fail(element, `All elements of a ${list.kind} must have the same type`, {
          hint: `${this.text(element)} is a ${literal.type}, the first element is a ${valueType}`,
        });
      }
      valueType = literal.type;
      values.push(literal.value);
    }
    return { values, valueType: valueType! };
  }

  // --- values ----------------------------------------------------------------------------------------

  /** A number literal's value; one too large for a double (1e400) has none the database can compare. */
  private finite(node: { value: number; start: number; end: number }): number {
    if (!Number.isFinite(node.value)) {
      this.fail(node, `The number ${this.text(node)} is too large`, {
        hint: `Numbers must be between -${Number.MAX_VALUE} and ${Number.MAX_VALUE}`,
      });
    }
    return node.value;
  }

  value(node: Expr): Value {
    switch (node.type) {
      case 'number':
        this.finite(node);
        return { kind: 'literal', type: 'number', value: node.value, start: node.start, end: node.end };
      case 'string':
      case 'boolean':
        return {
          kind: 'literal',
          type: node.type,
          value: node.value,
          start: node.start,
          end: node.end,
        } as LiteralValue;
      case 'none':
        return this.fail(node, "None can only be used with 'is' or 'is not'", {
          hint: 'e.g. parent_id is None',
        });
      case 'list':
        return this.fail(node, `A ${node.kind} can only appear on the right of 'in' or 'not in'`);
      case 'name':
      case 'member':
      case 'subscript': {
        const ref = this.reference(node);
        if (ref.kind === 'annotationEntry') {
          return this.fail(node, `Expected .label, .score or .explanation after ${this.text(node)}`, {
            expected: ANNOTATION_FIELD_NAMES.map((f) => `.${f}`),
          });
        }
        return ref;
      }
      case 'call':
        return this.fail(node.callee, `Function calls are not supported: '${this.text(node.callee)}'`, {
          hint: 'Filters use operators only: ==, in, is None, and, or, not...',
        });
      case 'unary': {
        if (node.operator === 'not') {
          return this.fail(node, `A 'not' condition cannot be used as a value`, {
            hint: 'Combine conditions with and / or',
          });
        }
        const operand = this.value(node.operand);
        if (operand.type !== 'number' && operand.type !== 'dynamic') {
          return this.fail(node, `Cannot apply unary '${node.operator}' to ${this.describe(operand)}`);
        }
        if (node.operator === '+') return operand;
        if (operand.kind === 'literal' && operand.type === 'number') {
          return { kind: 'literal', type: 'number', value: -operand.value, start: node.start, end: node.end };
        }
        return { kind: 'negate', operand, type: 'number', start: node.start, end: node.end };
      }
      case 'binary': {
        const left = this.value(node.left);
        const right = this.value(node.right);
        const op = node.operator;
        const bad = (): never =>
          this.fail(node, `Cannot apply '${op}' to ${this.describe(left)} and ${this.describe(right)}`, {
            ...(op === '+' ? { hint: "'+' adds numbers or joins strings" } : {}),
          });
        const types = [left.type, right.type];
        if (types.includes('datetime') || types.includes('boolean')) bad();
        let type: 'number' | 'string' = 'number';
        if (types.includes('string')) {
          if (op !== '+' || types.includes('number')) bad();
          type = 'string';
        }
        return { kind: 'arithmetic', op, left, right, type, start: node.start, end: node.end };
      }
      case 'logical':
      case 'compare':
        return this.fail(node, `A condition cannot be used as a value here: ${this.text(node)}`, {
          hint: 'Compare fields or attributes with values, and combine conditions with and / or',
        });
    }
  }

  // --- names -----------------------------------------------------------------------------------------

  /** Resolves a name with its `.member` / `[index]` accessors. */
  private reference(node: Expr): Value | AnnotationEntry {
    const accessors: Accessor[] = [];
    let root = node;
    while (root.type === 'member' || root.type === 'subscript') {
      if (root.type === 'member') {
        accessors.unshift({ kind: 'member', key: root.property, start: root.propertyStart, end: root.end });
      } else {
        accessors.unshift({
          kind: 'index',
          key: this.indexKey(root.index),
          start: root.index.start,
          end: root.index.end,
        });
      }
      root = root.object;
    }
    if (root.type !== 'name') {
      if (root === node) return this.value(node);
      return this.fail(root, `Only names can have attributes or subscripts, not ${this.text(root)}`);
    }
    const name = root.name;
    const range = { start: node.start, end: node.end };

    if (Object.hasOwn(ANNOTATION_ROOTS, name)) {
      return this.annotation(name as keyof typeof ANNOTATION_ROOTS, accessors, node);
    }

    const bareField = resolveSpanField(name);
    if (bareField) {
      const first = accessors[0];
      if (first) {
        this.fail(first, `'${name}' is a span field: it has no attributes or keys`, {
          hint: `Use '${name}' alone, e.g. ${name} == '...'`,
        });
      }
      return { kind: 'field', field: bareField, type: SPAN_FIELDS[bareField], ...range };
    }

    if (FIELD_NAMESPACES.has(name)) {
      const first = accessors[0];
      const dotted = first?.kind === 'member' && accessors.length === 1 ? `${name}.${first.key}` : undefined;
      const field = dotted ? resolveSpanField(dotted) : undefined;
      if (!field) {
        const candidates = [...SPAN_FIELD_NAMES, ...Object.keys(SPAN_FIELD_ALIASES)].filter((f) =>
          f.startsWith(`${name}.`),
        );
        const written = this.text(node);
        return this.fail(node, `Unknown field '${written}'`, {
          hint: didYouMean(written, candidates) ?? `Expected one of ${candidates.join(', ')}`,
        });
      }
      return { kind: 'field', field, type: SPAN_FIELDS[field], ...range };
    }

    if (name === ATTRIBUTES_ROOT) {
      if (accessors.length === 0) {
        return this.fail(node, "Expected a key after 'attributes'", {
          hint: "e.g. attributes['llm.model_name']",
          expected: ['[', '.'],
        });
      }
      return this.attribute([], accessors, range);
    }

    if (accessors.length === 0 && name !== METADATA_ROOT) {
      const suggestion = closest(name, KNOWN_BARE_NAMES);
      return this.fail(node, `Unknown name '${name}'`, {
        hint: suggestion
          ? `Did you mean '${suggestion}'?`
          : `For a custom attribute write attributes['${name}'] or a dotted path`,
      });
    }
    const typo = closest(name, SPECIAL_ROOTS);
    if (typo !== undefined && typo !== name) {
      return this.fail(root, `Unknown name '${name}'`, { hint: `Did you mean '${typo}'?` });
    }
    return this.attribute([name], accessors, range);
  }

  private indexKey(index: Expr): string | number {
    if (index.type === 'string') return index.value;
    if (index.type === 'number' && index.integer && index.value >= 0) return index.value;
    return this.fail(index, 'A subscript must be a string or a non-negative integer literal', {
      hint: "e.g. metadata['user_id'] or retrieval.documents[0]",
    });
  }

  /** Builds an attribute path; string keys are dotted paths split on '.', except under `metadata`. */
  private attribute(
    prefix: string[],
    accessors: readonly Accessor[],
    range: { start: number; end: number },
  ): AttributeRef {
    const path: (string | number)[] = [...prefix];
    for (const accessor of accessors) {
      if (typeof accessor.key === 'number') {
        path.push(accessor.key);
        continue;
      }
      const literalKey = accessor.kind === 'member' || path[0] === METADATA_ROOT;
      const parts = literalKey ? [accessor.key] : accessor.key.split('.');
      if (parts.some((p) => p === '')) {
        this.fail(accessor, `Invalid attribute key '${accessor.key}'`, { hint: 'Keys cannot be empty' });
      }
      path.push(...parts);
    }
    return { kind: 'attribute', path, type: 'dynamic', ...range };
  }

  private annotation(
    root: keyof typeof ANNOTATION_ROOTS,
    accessors: readonly Accessor[],
    node: Expr,
  ): Value | AnnotationEntry {
    const scope = ANNOTATION_ROOTS[root];
    const [nameAccessor, fieldAccessor, extra] = accessors;
    if (nameAccessor?.kind !== 'index' || typeof nameAccessor.key !== 'string') {
      return this.fail(nameAccessor ?? node, `Expected an annotation name in brackets after '${root}'`, {
        hint: `e.g. ${root}['correctness'].label`,
        expected: ["['name']"],
      });
    }
    const range = { start: node.start, end: node.end };
    if (!fieldAccessor) {
      return { kind: 'annotationEntry', scope, name: nameAccessor.key, ...range };
    }
    const field = String(fieldAccessor.key);
    if (!Object.hasOwn(ANNOTATION_FIELDS, field)) {
      return this.fail(fieldAccessor, `Unknown annotation field '${field}'`, {
        hint: didYouMean(field, ANNOTATION_FIELD_NAMES) ?? 'Use label, score or explanation',
        expected: [...ANNOTATION_FIELD_NAMES],
      });
    }
    if (extra) {
      this.fail(extra, `Annotation ${field}s have no attributes or keys`);
    }
    const annotationField = field as AnnotationField;
    return {
      kind: 'annotation',
      scope,
      name: nameAccessor.key,
      field: annotationField,
      type: ANNOTATION_FIELDS[annotationField],
      ...range,
    };
  }
}
