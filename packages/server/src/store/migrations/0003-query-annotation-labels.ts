import type { Kysely } from 'kysely';

/**
 * Filters on an annotation's label (`annotations['correctness'].label == 'incorrect'`, the query
 * language's most common annotation filter) list the matching annotations by (name, label): with
 * these covering indexes that is a range of index entries, not a check of every annotation of that
 * name (3M annotations, 300k of one name: 178 ms → 55 ms for the first page; see bench/README.md).
 */
export function queryAnnotationLabels() {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('ix_span_annotations_name_label')
        .on('span_annotations')
        .columns(['name', 'label', 'span_rowid'])
        .execute();
      await db.schema
        .createIndex('ix_trace_annotations_name_label')
        .on('trace_annotations')
        .columns(['name', 'label', 'trace_rowid'])
        .execute();
    },
  };
}
