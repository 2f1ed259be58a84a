/**
 * `GET /v1/ui/projects/{p}/filter_vocabulary`: what the filter bar suggests for a project (types
 * only, imported by packages/ui; the route's TypeBox schema is checked against it).
 */

export type UiFilterValueType = 'string' | 'number' | 'boolean' | 'datetime' | 'dynamic';
export type UiAttributeType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'mixed';

export interface UiFilterVocabulary {
  /** Span fields of the query language (cost.* included) with their checked types. */
  fields: { name: string; type: UiFilterValueType }[];
  /** Dotted attribute paths found in the sampled spans (`llm.model_name`), sorted; no `metadata`. */
  attributes: { path: string; type: UiAttributeType }[];
  /** First-level keys of `metadata` in the sampled spans, written `metadata['key']`. */
  metadata: { key: string; type: UiAttributeType }[];
  /** Names for `annotations['…']` and `trace_annotations['…']` (notes excluded), sorted. */
  span_annotation_names: string[];
  trace_annotation_names: string[];
  /** How many spans the attribute paths were read from (the newest of the project). */
  sampled_spans: number;
}
