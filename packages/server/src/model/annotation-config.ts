/**
 * Phoenix's annotation configs: what an annotation of a given name holds. Categorical ones list
 * their values (a label and an optional score each), continuous ones bound the score, freeform ones
 * only describe. Stored as one JSON document per config (annotation_configs.config).
 */

export type OptimizationDirection = 'MINIMIZE' | 'MAXIMIZE' | 'NONE';
export type AnnotationConfigType = 'CATEGORICAL' | 'CONTINUOUS' | 'FREEFORM';

export interface CategoricalValue {
  label: string;
  score: number | null;
}

export type AnnotationConfigDocument =
  | {
      type: 'CATEGORICAL';
      description: string | null;
      optimization_direction: OptimizationDirection;
      values: CategoricalValue[];
    }
  | {
      type: 'CONTINUOUS';
      description: string | null;
      optimization_direction: OptimizationDirection;
      lower_bound: number | null;
      upper_bound: number | null;
    }
  | {
      type: 'FREEFORM';
      description: string | null;
      optimization_direction: OptimizationDirection | null;
      threshold: number | null;
      lower_bound: number | null;
      upper_bound: number | null;
    };

/** A stored config: its row id, its (unique) name and its document. */
export interface AnnotationConfigRecord {
  id: number;
  name: string;
  config: AnnotationConfigDocument;
}

/** The GlobalID type name of a config, by its type (Phoenix's GraphQL types). */
export const CONFIG_NODE_TYPES = {
  CATEGORICAL: 'CategoricalAnnotationConfig',
  CONTINUOUS: 'ContinuousAnnotationConfig',
  FREEFORM: 'FreeformAnnotationConfig',
} as const satisfies Record<AnnotationConfigType, string>;

export type AnnotationConfigNodeType = (typeof CONFIG_NODE_TYPES)[AnnotationConfigType];

export function isAnnotationConfigNodeType(type: string): type is AnnotationConfigNodeType {
  return (Object.values(CONFIG_NODE_TYPES) as string[]).includes(type);
}

/** What an annotation carries that a config constrains. */
export interface AnnotationResult {
  label: string | null;
  score: number | null;
}

/** Why an annotation does not follow its config: which field, and pydantic's type and message. */
export interface ConfigViolation {
  field: 'label' | 'score';
  type: string;
  msg: string;
}

const quoted = (labels: string[]) =>
  labels.length <= 1
    ? labels.map((l) => `'${l}'`).join('')
    : `${labels
        .slice(0, -1)
        .map((l) => `'${l}'`)
        .join(', ')} or '${labels.at(-1)}'`;

/**
 * Whether an annotation follows the config of its name: a categorical annotation's label (when it
 * has one) is one of the config's values, a continuous one's score (when it has one) lies within
 * the bounds (inclusive). Freeform configs constrain nothing. null when it follows.
 */
export function configViolation(
  name: string,
  config: AnnotationConfigDocument,
  result: AnnotationResult,
): ConfigViolation | null {
  if (config.type === 'CATEGORICAL') {
    if (result.label === null) return null;
    const labels = config.values.map((v) => v.label);
    if (labels.includes(result.label)) return null;
    return {
      field: 'label',
      type: 'enum',
      msg: `Input should be ${quoted(labels)} (the values of annotation config '${name}')`,
    };
  }
  if (config.type === 'CONTINUOUS') {
    const { score } = result;
    if (score === null) return null;
    if (config.lower_bound !== null && score < config.lower_bound) {
      return {
        field: 'score',
        type: 'greater_than_equal',
        msg: `Input should be greater than or equal to ${config.lower_bound} (the lower bound of annotation config '${name}')`,
      };
    }
    if (config.upper_bound !== null && score > config.upper_bound) {
      return {
        field: 'score',
        type: 'less_than_equal',
        msg: `Input should be less than or equal to ${config.upper_bound} (the upper bound of annotation config '${name}')`,
      };
    }
  }
  return null;
}
