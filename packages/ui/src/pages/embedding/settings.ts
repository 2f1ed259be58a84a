/**
 * The settings panel's fields with the server's ranges (packages/inferences point-cloud/parameters.ts):
 * a value out of range is refused in the browser with the message the server would give.
 */
export interface SettingField {
  name:
    | 'n_neighbors'
    | 'min_dist'
    | 'n_samples'
    | 'min_cluster_size'
    | 'min_samples'
    | 'cluster_selection_epsilon';
  label: string;
  min: number;
  max: number | null;
  integer: boolean;
  /** Phoenix's default. */
  defaultValue: number;
}

export const UMAP_FIELDS: readonly SettingField[] = [
  {
    name: 'n_neighbors',
    label: 'Neighbours (n_neighbors)',
    min: 5,
    max: 100,
    integer: true,
    defaultValue: 30,
  },
  {
    name: 'min_dist',
    label: 'Minimum distance (min_dist)',
    min: 0,
    max: 0.99,
    integer: false,
    defaultValue: 0,
  },
  {
    name: 'n_samples',
    label: 'Samples per set (n_samples)',
    min: 1,
    max: 100_000,
    integer: true,
    defaultValue: 500,
  },
];

export const HDBSCAN_FIELDS: readonly SettingField[] = [
  {
    name: 'min_cluster_size',
    label: 'Minimum cluster size',
    min: 2,
    max: 1_000_000,
    integer: true,
    defaultValue: 10,
  },
  { name: 'min_samples', label: 'Minimum samples', min: 1, max: 1_000_000, integer: true, defaultValue: 1 },
  {
    name: 'cluster_selection_epsilon',
    label: 'Cluster selection epsilon',
    min: 0,
    max: null,
    integer: false,
    defaultValue: 0,
  },
];

/** The field's number, or the reason it is refused. */
export function parseSetting(field: SettingField, text: string): { value: number } | { error: string } {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  const kind = field.integer ? 'a whole number' : 'a number';
  const bound = field.max === null ? `≥ ${field.min}` : `from ${field.min} to ${field.max}`;
  const ok =
    Number.isFinite(value) &&
    (!field.integer || Number.isInteger(value)) &&
    value >= field.min &&
    (field.max === null || value <= field.max);
  return ok ? { value } : { error: `${field.name} must be ${kind} ${bound}` };
}
