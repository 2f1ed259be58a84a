import { SPAN_FIELDS } from '@fawkes/query';
import { sql } from 'kysely';
import { parseJsonColumn } from '../store/repositories/json.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { type AttributeType, collectAttributePaths, collectMetadataKeys } from './attribute-paths.js';
import type { UiFilterVocabulary } from './filter-vocabulary-wire.js';
import type { ProjectRef } from './ids.js';

/** Spans read for attribute keys: the newest of the newest traces. */
export const SAMPLED_SPANS = 500;
const SAMPLED_TRACES = 200;
/** Bounds on what one answer lists. */
export const MAX_ATTRIBUTE_PATHS = 500;
export const MAX_ANNOTATION_NAMES = 200;

/**
 * What the filter bar suggests for a project: the span fields (cost included), the attribute paths
 * and metadata keys its newest spans hold, and the annotation names it has. Bounded at any size:
 * attributes come from a sample (the newest {@link SAMPLED_SPANS} spans of the newest traces, read
 * through the project's start-time index); annotation names from a skip scan of the name index
 * (one probe per distinct name, each kept when one of the project's spans or traces has it).
 */
export async function filterVocabulary(store: ReadStore, project: ProjectRef): Promise<UiFilterVocabulary> {
  const [rows, spanNames, traceNames] = await Promise.all([
    store.db
      .selectFrom('spans')
      .select('spans.attributes')
      .where(
        'spans.trace_rowid',
        'in',
        store.db
          .selectFrom('traces')
          .select('traces.id')
          .where('traces.project_id', '=', project.id)
          .orderBy('traces.start_time', 'desc')
          .limit(SAMPLED_TRACES),
      )
      .limit(SAMPLED_SPANS)
      .execute(),
    annotationNames(store, project, 'span'),
    annotationNames(store, project, 'trace'),
  ]);
  const paths = new Map<string, AttributeType>();
  const metadata = new Map<string, AttributeType>();
  for (const row of rows) {
    const attributes = parseJsonColumn<Record<string, unknown>>(row.attributes);
    collectAttributePaths(attributes, paths, MAX_ATTRIBUTE_PATHS);
    collectMetadataKeys(attributes, metadata, MAX_ATTRIBUTE_PATHS);
  }
  const sorted = (map: Map<string, AttributeType>) =>
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    fields: Object.entries(SPAN_FIELDS).map(([name, type]) => ({ name, type })),
    attributes: sorted(paths).map(([path, type]) => ({ path, type })),
    metadata: sorted(metadata).map(([key, type]) => ({ key, type })),
    span_annotation_names: spanNames,
    trace_annotation_names: traceNames,
    sampled_spans: rows.length,
  };
}

/**
 * Distinct annotation names of the project, without reading every annotation: a recursive query
 * walks the name index from one name to the next (a loose index scan, on SQLite and PostgreSQL
 * alike), then keeps the names that one of the project's spans (traces) carries. Notes are not
 * annotations to filter on.
 */
async function annotationNames(
  store: ReadStore,
  project: ProjectRef,
  scope: 'span' | 'trace',
): Promise<string[]> {
  const table = sql.table(scope === 'span' ? 'span_annotations' : 'trace_annotations');
  const inProject =
    scope === 'span'
      ? sql`exists (select 1 from span_annotations a join spans s on s.id = a.span_rowid
          join traces t on t.id = s.trace_rowid where a.name = names.name and t.project_id = ${project.id})`
      : sql`exists (select 1 from trace_annotations a join traces t on t.id = a.trace_rowid
          where a.name = names.name and t.project_id = ${project.id})`;
  const result = await sql<{ name: string }>`
    with recursive names(name, n) as (
      select (select min(name) from ${table} where name <> 'note'), 1
      union all
      select (select min(x.name) from ${table} x where x.name > names.name and x.name <> 'note'), n + 1
      from names where names.name is not null and n < ${sql.lit(MAX_ANNOTATION_NAMES * 5)}
    )
    select name from names where name is not null and ${inProject}
    order by name limit ${sql.lit(MAX_ANNOTATION_NAMES)}`.execute(store.db);
  return result.rows.map((row) => row.name);
}
