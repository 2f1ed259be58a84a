import { type EmbeddingColumnNames, type RetrievalEmbeddingColumnNames, Schema } from '../schema/schema.js';

/** The column Phoenix adds (of uuid4s) when the Schema names no prediction id; never discovered as a feature. */
export const GENERATED_ID_COLUMN = 'prediction_id';
/** The column Phoenix adds (every row "now") when the Schema names no timestamp. */
export const GENERATED_TIMESTAMP_COLUMN = 'timestamp';

export interface InferencesLayout {
  /** The Schema with exclusions applied and features discovered (`excludedColumnNames` cleared). */
  schema: Schema;
  /** The columns kept, in the data's order. */
  keptColumns: string[];
  warnings: string[];
}

/**
 * Phoenix's `_parse_dataframe_and_schema`: applies `excludedColumnNames` (the name of an embedding
 * feature removes the whole embedding; an embedding's own columns cannot be excluded one by one;
 * unknown names only warn) and, when no features are named, discovers them: every column no
 * other field uses, not excluded, not `prediction_id`, in the data's order.
 *
 * One difference: a text `responseColumnNames` counts as used (Phoenix dropped it from the data
 * when features were named, and made it a feature when they were discovered).
 */
export function layOut(schema: Schema, columns: readonly string[]): InferencesLayout {
  const unseenExcluded = new Set(schema.excludedColumnNames ?? []);
  const unseenColumns = new Set(columns);
  const include = new Map<string, boolean>();
  const warnings: string[] = [];
  const changes: Partial<Record<keyof Schema, unknown>> = { excludedColumnNames: undefined };

  const see = (column: string, included: boolean) => {
    include.set(column, included);
    unseenColumns.delete(column);
  };

  for (const field of Schema.singleColumnFields) {
    const column = schema[field];
    if (column === undefined) continue;
    const included = !unseenExcluded.has(column);
    if (!included) {
      changes[field] = undefined;
      unseenExcluded.delete(column);
    }
    see(column, included);
  }
  for (const field of ['featureColumnNames', 'tagColumnNames'] as const) {
    const names = schema[field];
    if (!names || names.length === 0) continue;
    const kept = names.filter((column) => {
      const included = !unseenExcluded.has(column);
      if (!included) unseenExcluded.delete(column);
      see(column, included);
      return included;
    });
    changes[field] = kept.length > 0 ? kept : undefined;
  }
  if (schema.embeddingFeatureColumnNames) {
    const kept: Record<string, EmbeddingColumnNames> = {};
    for (const [name, embedding] of Object.entries(schema.embeddingFeatureColumnNames)) {
      const included = !unseenExcluded.has(name);
      if (included) kept[name] = embedding;
      else unseenExcluded.delete(name);
      for (const column of embeddingColumns(embedding)) {
        if (column !== name && unseenExcluded.has(column)) {
          warnings.push(
            `excluding the embedding column "${column}" has no effect; exclude the embedding feature "${name}" instead`,
          );
          unseenExcluded.delete(column);
        }
        see(column, included);
      }
    }
    changes.embeddingFeatureColumnNames = Object.keys(kept).length > 0 ? kept : undefined;
  }
  const prompt = schema.promptColumnNames;
  if (prompt) for (const column of embeddingColumns(prompt)) see(column, true);
  const response = schema.responseColumnNames;
  if (typeof response === 'string') see(response, true);
  else if (response) for (const column of embeddingColumns(response)) see(column, true);

  if ((!schema.featureColumnNames || schema.featureColumnNames.length === 0) && unseenColumns.size > 0) {
    const discovered: string[] = [];
    for (const column of columns) {
      if (!unseenColumns.has(column)) continue;
      if (!unseenExcluded.has(column) && column !== GENERATED_ID_COLUMN) {
        discovered.push(column);
        include.set(column, true);
      } else {
        unseenExcluded.delete(column);
      }
    }
    changes.featureColumnNames = discovered;
  }
  if (unseenExcluded.size > 0) {
    warnings.push(
      `these excluded columns and embedding features are not in the data: ${[...unseenExcluded].join(', ')}`,
    );
  }
  return {
    schema: schema.with(changes as Parameters<Schema['with']>[0]),
    keptColumns: columns.filter((column) => include.get(column) === true),
    warnings,
  };
}

export function embeddingColumns(embedding: RetrievalEmbeddingColumnNames): string[] {
  return [
    embedding.vectorColumnName,
    embedding.rawDataColumnName,
    embedding.linkToDataColumnName,
    embedding.contextRetrievalIdsColumnName,
    embedding.contextRetrievalScoresColumnName,
  ].filter((column): column is string => column !== undefined);
}
