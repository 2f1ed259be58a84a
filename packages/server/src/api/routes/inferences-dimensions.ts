import type { Inferences, ScalarColumn, ScalarRole } from '@fawkes/inferences';

/** A dimension as `GET /v1/inferences` lists it. */
export interface DimensionInfo {
  name: string;
  type: 'feature' | 'tag' | 'prediction' | 'actual';
  data_type: 'numeric' | 'categorical';
  shape: 'continuous' | 'discrete';
}

const TYPES: Record<ScalarRole, DimensionInfo['type']> = {
  feature: 'feature',
  tag: 'tag',
  prediction_label: 'prediction',
  prediction_score: 'prediction',
  actual_label: 'actual',
  actual_score: 'actual',
};

/**
 * Phoenix's dimension typing: labels are discrete, scores continuous; features and tags are
 * continuous when numeric (or datetimes), discrete when boolean or text.
 */
function shapeOf(column: ScalarColumn): DimensionInfo['shape'] {
  if (column.role === 'prediction_label' || column.role === 'actual_label') return 'discrete';
  if (column.role === 'prediction_score' || column.role === 'actual_score') return 'continuous';
  const { values } = column;
  return values.kind === 'numeric' && values.dtype !== 'bool' ? 'continuous' : 'discrete';
}

/** The primary set's dimensions (features, tags, predictions, actuals), in the Schema's order. */
export function dimensionsOf(primary: Inferences): DimensionInfo[] {
  return primary.scalarColumns.map((column) => ({
    name: column.name,
    type: TYPES[column.role],
    data_type: column.values.kind === 'numeric' ? 'numeric' : 'categorical',
    shape: shapeOf(column),
  }));
}
