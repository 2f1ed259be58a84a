import type { EmbeddingRole, Inferences, ScalarRole } from '../inferences/inferences.js';
import type { DimensionShape, DimensionValues } from '../metrics/types.js';

/** The role a model gives to a set: the primary set is judged against the reference. */
export type ModelRole = 'primary' | 'reference';

/** The API's dimension type (Phoenix's DimensionType). */
export type DimensionType = 'feature' | 'tag' | 'prediction' | 'actual';
/** The API's data type: Phoenix calls a continuous dimension numeric, every other categorical. */
export type DimensionDataType = 'numeric' | 'categorical';

export interface ModelDimension {
  readonly name: string;
  readonly role: ScalarRole;
  readonly type: DimensionType;
  readonly dataType: DimensionDataType;
  readonly shape: DimensionShape;
  /** The sets that have the column. */
  readonly sets: readonly ModelRole[];
  /** The column in each set (singular roles keep the primary's name, as Phoenix renames them). */
  readonly columns: Readonly<Partial<Record<ModelRole, string>>>;
}

export interface ModelEmbedding {
  /** The embedding feature's name, `prompt` or `response`. */
  readonly name: string;
  readonly role: EmbeddingRole;
  readonly vectorColumnName: string;
  readonly rawDataColumnName?: string | undefined;
  readonly linkToDataColumnName?: string | undefined;
  /** The length of every vector (0 when no set has one). */
  readonly dimension: number;
  readonly sets: readonly ModelRole[];
}

const ROLE_RANK: Readonly<Record<ScalarRole, number>> = {
  prediction_label: 0,
  prediction_score: 1,
  actual_label: 2,
  actual_score: 3,
  feature: 4,
  tag: 5,
};

const TYPE_OF_ROLE: Readonly<Record<ScalarRole, DimensionType>> = {
  prediction_label: 'prediction',
  prediction_score: 'prediction',
  actual_label: 'actual',
  actual_score: 'actual',
  feature: 'feature',
  tag: 'tag',
};

const SINGULAR = new Set<ScalarRole>([
  'prediction_label',
  'prediction_score',
  'actual_label',
  'actual_score',
]);

type Sets = readonly (readonly [ModelRole, Inferences])[];

/**
 * Phoenix's dimensions of a model over its sets (`create_model_from_inferences`): a singular role
 * (prediction / actual label / score) takes the first set's column name and reads each set's own
 * column; features and tags are the union of the sets'; a column in two roles keeps the first of
 * prediction label, prediction score, actual label, actual score, feature, tag.
 */
export function modelDimensions(sets: Sets): ModelDimension[] {
  const byName = new Map<string, { role: ScalarRole; columns: Partial<Record<ModelRole, string>> }>();
  const order: string[] = [];
  const singularName = new Map<ScalarRole, string>();
  for (const [setRole, set] of sets) {
    for (const column of set.scalarColumns) {
      let name = column.name;
      if (SINGULAR.has(column.role)) {
        name = singularName.get(column.role) ?? name;
        singularName.set(column.role, name);
      }
      const found = byName.get(name);
      if (!found) {
        byName.set(name, { role: column.role, columns: { [setRole]: column.name } });
        order.push(name);
      } else {
        if (ROLE_RANK[column.role] < ROLE_RANK[found.role]) found.role = column.role;
        found.columns[setRole] = column.name;
      }
    }
  }
  return order.map((name) => {
    const { role, columns } = byName.get(name)!;
    const values = sets.flatMap(([setRole, set]) => {
      const column = columns[setRole];
      const scalar = column === undefined ? undefined : set.scalar(column);
      return scalar ? [scalar.values] : [];
    });
    const shape = shapeOf(role, values);
    return Object.freeze({
      name,
      role,
      type: TYPE_OF_ROLE[role],
      dataType: shape === 'continuous' ? 'numeric' : 'categorical',
      shape,
      sets: Object.freeze(
        sets.map(([setRole]) => setRole).filter((setRole) => columns[setRole] !== undefined),
      ),
      columns: Object.freeze(columns),
    });
  });
}

/**
 * Labels are discrete and scores continuous; a feature or tag is guessed from its columns as
 * Phoenix's `_guess_data_type` does: the first non-empty column that is boolean makes it discrete,
 * numeric or datetime continuous; text leaves the question to the next set.
 */
function shapeOf(role: ScalarRole, values: readonly DimensionValues[]): DimensionShape {
  if (role === 'prediction_label' || role === 'actual_label') return 'discrete';
  if (role === 'prediction_score' || role === 'actual_score') return 'continuous';
  for (const column of values) {
    if (column.values.length === 0) continue;
    if (column.kind === 'numeric') return column.dtype === 'bool' ? 'discrete' : 'continuous';
  }
  return 'discrete';
}

/**
 * The embeddings of a model: embedding features by name (the first set's columns), the prompt
 * and the response; their vectors must have one length in every set (Phoenix refuses otherwise).
 */
export function modelEmbeddings(sets: Sets): { embeddings: ModelEmbedding[]; mismatches: string[] } {
  const byName = new Map<string, ModelEmbedding & { sets: ModelRole[] }>();
  const mismatches: string[] = [];
  for (const [setRole, set] of sets) {
    for (const embedding of set.embeddings) {
      const present = embedding.vectors.present.some((flag) => flag === 1);
      const found = byName.get(embedding.name);
      if (!found) {
        byName.set(embedding.name, {
          name: embedding.name,
          role: embedding.role,
          vectorColumnName: embedding.vectorColumnName,
          rawDataColumnName: embedding.rawDataColumnName,
          linkToDataColumnName: embedding.linkToDataColumnName,
          dimension: present ? embedding.vectors.dimension : 0,
          sets: [setRole],
        });
        continue;
      }
      found.sets.push(setRole);
      if (!present) continue;
      if (found.dimension === 0) {
        byName.set(embedding.name, { ...found, dimension: embedding.vectors.dimension });
      } else if (found.dimension !== embedding.vectors.dimension) {
        mismatches.push(
          `the vectors of the embedding "${embedding.name}" have ${found.dimension} numbers in the ${found.sets[0]} set but ${embedding.vectors.dimension} in the ${setRole} set`,
        );
      }
    }
  }
  return {
    embeddings: [...byName.values()].map((embedding) =>
      Object.freeze({ ...embedding, sets: Object.freeze([...embedding.sets]) }),
    ),
    mismatches,
  };
}

/**
 * Phoenix's `categories`: for a non-continuous dimension, the distinct non-null values of every
 * set as strings (as pandas' `astype(str)` writes them), sorted; none for a continuous one.
 */
export function categoriesOf(dimension: ModelDimension, values: readonly DimensionValues[]): string[] {
  if (dimension.shape === 'continuous') return [];
  const distinct = new Set<string>();
  for (const column of values) {
    if (column.kind === 'categorical') {
      for (const value of column.values) if (value !== null) distinct.add(value);
    } else {
      for (const value of column.values)
        if (!Number.isNaN(value)) distinct.add(pythonString(value, column.dtype));
    }
  }
  return [...distinct].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function pythonString(value: number, dtype: 'int' | 'float' | 'bool' | 'datetime'): string {
  if (dtype === 'bool') return value ? 'True' : 'False';
  if (dtype === 'float' && Number.isInteger(value)) return `${value}.0`;
  if (dtype === 'datetime') return new Date(value).toISOString();
  return String(value);
}

/** Phoenix's `min_max`: the smallest and largest value over every set, for a continuous dimension. */
export function minMaxOf(
  dimension: ModelDimension,
  values: readonly DimensionValues[],
): { min: number | null; max: number | null } {
  if (dimension.shape !== 'continuous') return { min: null, max: null };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const column of values) {
    if (column.kind !== 'numeric') continue;
    for (const value of column.values) {
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return min <= max ? { min, max } : { min: null, max: null };
}
