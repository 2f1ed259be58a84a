import { Compile } from 'typebox/compile';
import type { AnnotationConfigDocument, CategoricalValue } from '../model/annotation-config.js';
import { HttpError } from '../util/http-error.js';
import { fastApiDetail, RequestValidationError, type SchemaError } from './fastapi-errors.js';
import { CONFIG_DATA_BY_TYPE } from './schemas/annotation-configs.js';

const TAGS = Object.keys(CONFIG_DATA_BY_TYPE);
const checks = Object.fromEntries(TAGS.map((tag) => [tag, Compile(CONFIG_DATA_BY_TYPE[tag]!)]));

interface ConfigData {
  name: string;
  type: AnnotationConfigDocument['type'];
  description?: string | null;
  optimization_direction?: 'MINIMIZE' | 'MAXIMIZE' | 'NONE' | null;
  values?: { label: string; score?: number | null }[];
  lower_bound?: number | null;
  upper_bound?: number | null;
  threshold?: number | null;
}

/**
 * The body of a create or an update, checked as pydantic checks a union discriminated by `type`:
 * the tag first (`union_tag_not_found`, `union_tag_invalid`), then the fields of that variant, with
 * the tag in the error's location (`["body", "CATEGORICAL", "values"]`). Then Phoenix's own rules
 * for the stored document (400). Throws; returns the config's name and document.
 */
export function parseAnnotationConfigBody(body: unknown): {
  name: string;
  config: AnnotationConfigDocument;
} {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RequestValidationError([
      body === undefined || body === null
        ? { loc: ['body'], msg: 'Field required', type: 'missing', input: null }
        : {
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from',
            type: 'model_attributes_type',
            input: body,
          },
    ]);
  }
  const tag = (body as { type?: unknown }).type;
  if (tag === undefined) {
    throw new RequestValidationError([
      {
        loc: ['body'],
        msg: "Unable to extract tag using discriminator 'type'",
        type: 'union_tag_not_found',
        input: body,
      },
    ]);
  }
  const check = typeof tag === 'string' ? checks[tag] : undefined;
  if (!check) {
    throw new RequestValidationError([
      {
        loc: ['body'],
        msg: `Input tag '${String(tag)}' found using 'type' does not match any of the expected tags: ${TAGS.map((t) => `'${t}'`).join(', ')}`,
        type: 'union_tag_invalid',
        input: body,
      },
    ]);
  }
  if (!check.Check(body)) {
    const errors = [...check.Errors(body)] as unknown as SchemaError[];
    const detail = fastApiDetail(errors, 'body', body).map((item) => ({
      ...item,
      loc: ['body', tag as string, ...item.loc.slice(1)],
    }));
    throw new RequestValidationError(detail);
  }
  const data = body as ConfigData;
  return { name: data.name, config: toDocument(data) };
}

function toDocument(data: ConfigData): AnnotationConfigDocument {
  const description = data.description ?? null;
  switch (data.type) {
    case 'CATEGORICAL': {
      const values: CategoricalValue[] = (data.values ?? []).map((v) => ({
        label: v.label,
        score: v.score ?? null,
      }));
      checkValues(values);
      return {
        type: 'CATEGORICAL',
        description,
        optimization_direction: data.optimization_direction!,
        values,
      };
    }
    case 'CONTINUOUS': {
      const lower = data.lower_bound ?? null;
      const upper = data.upper_bound ?? null;
      checkBounds(lower, upper);
      return {
        type: 'CONTINUOUS',
        description,
        optimization_direction: data.optimization_direction!,
        lower_bound: lower,
        upper_bound: upper,
      };
    }
    case 'FREEFORM': {
      const lower = data.lower_bound ?? null;
      const upper = data.upper_bound ?? null;
      checkBounds(lower, upper);
      return {
        type: 'FREEFORM',
        description,
        optimization_direction: data.optimization_direction ?? null,
        threshold: data.threshold ?? null,
        lower_bound: lower,
        upper_bound: upper,
      };
    }
  }
}

/** Phoenix's rules for categorical values (its 400 texts): at least one, labels unique. */
function checkValues(values: CategoricalValue[]): void {
  const problem = (message: string) =>
    new HttpError(
      400,
      `1 validation error for CategoricalAnnotationConfig\nvalues\n  Value error, ${message}`,
    );
  if (values.length === 0) throw problem('Values must be non-empty');
  const seen = new Set<string>();
  for (const { label } of values) {
    if (seen.has(label)) {
      throw problem(`Values for categorical annotation config has duplicate label: "${label}"`);
    }
    seen.add(label);
  }
}

/** Bounds that admit no score at all would refuse every annotation: refused here instead. */
function checkBounds(lower: number | null, upper: number | null): void {
  if (lower !== null && upper !== null && lower > upper) {
    throw new HttpError(
      400,
      `The lower bound (${lower}) must not be greater than the upper bound (${upper})`,
    );
  }
}
