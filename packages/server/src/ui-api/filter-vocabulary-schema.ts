import { type Static, Type } from 'typebox';
import type { UiFilterVocabulary } from './filter-vocabulary-wire.js';

const AttributeType = Type.Union([
  Type.Literal('string'),
  Type.Literal('number'),
  Type.Literal('boolean'),
  Type.Literal('array'),
  Type.Literal('object'),
  Type.Literal('mixed'),
]);
const ValueType = Type.Union([
  Type.Literal('string'),
  Type.Literal('number'),
  Type.Literal('boolean'),
  Type.Literal('datetime'),
  Type.Literal('dynamic'),
]);

export const FilterVocabularyParams = Type.Object({
  project: Type.String({ description: 'The project: its name or GlobalID' }),
});

export const FilterVocabularySchema = Type.Object(
  {
    fields: Type.Array(Type.Object({ name: Type.String(), type: ValueType }), {
      description: 'Span fields of the query language (cost.* included) with their checked types',
    }),
    attributes: Type.Array(Type.Object({ path: Type.String(), type: AttributeType }), {
      description: "Dotted attribute paths of the project's newest spans (a sample), sorted",
    }),
    metadata: Type.Array(Type.Object({ key: Type.String(), type: AttributeType }), {
      description: "First-level metadata keys of the sampled spans (metadata['key'])",
    }),
    span_annotation_names: Type.Array(Type.String(), { description: "Names for annotations['…']" }),
    trace_annotation_names: Type.Array(Type.String(), { description: "Names for trace_annotations['…']" }),
    sampled_spans: Type.Integer({ description: 'How many spans the attribute paths come from' }),
  },
  { title: 'UiFilterVocabulary' },
);

// The schema and the wire type the UI reads must not drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesWire: Same<Static<typeof FilterVocabularySchema>, UiFilterVocabulary> = true;
void schemaMatchesWire;
