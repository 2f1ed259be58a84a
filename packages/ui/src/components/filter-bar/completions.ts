import type { UiFilterVocabulary } from '../../api/types.js';
import { insideString } from './tokens.js';

/** One suggestion: what is inserted, and how it is shown. */
export interface FilterCompletion {
  label: string;
  /** Inserted instead of the label when set (an annotation name inside its brackets). */
  apply?: string;
  type: 'field' | 'attribute' | 'metadata' | 'annotation' | 'keyword';
  detail?: string;
  boost?: number;
}

export interface CompletionResult {
  /** Offset where the replaced text starts (the word being typed). */
  from: number;
  options: FilterCompletion[];
}

const KEYWORD_OPTIONS: FilterCompletion[] = ['and', 'or', 'not', 'in', 'is', 'None', 'True', 'False'].map(
  (label) => ({ label, type: 'keyword', boost: -10 }),
);

const ANNOTATION_PARTS = ['label', 'score', 'explanation'] as const;

/** A string literal of the query language holding `value` (single quotes, escaped as needed). */
function quoted(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Everything a name can be in this project: span fields, attributes, metadata keys, annotations. */
export function nameOptions(vocabulary: UiFilterVocabulary | undefined): FilterCompletion[] {
  const options: FilterCompletion[] = [];
  const fields = vocabulary?.fields ?? [];
  for (const field of fields) {
    options.push({
      label: field.name,
      type: 'field',
      detail: field.type,
      boost: field.name.startsWith('cost.') ? 1 : 2,
    });
  }
  for (const attribute of vocabulary?.attributes ?? []) {
    options.push({ label: attribute.path, type: 'attribute', detail: attribute.type });
  }
  for (const { key, type } of vocabulary?.metadata ?? []) {
    options.push({ label: `metadata[${quoted(key)}]`, type: 'metadata', detail: type });
  }
  const annotations = [
    ['annotations', vocabulary?.span_annotation_names ?? []],
    ['trace_annotations', vocabulary?.trace_annotation_names ?? []],
  ] as const;
  for (const [root, names] of annotations) {
    for (const name of names) {
      for (const part of ANNOTATION_PARTS) {
        options.push({
          label: `${root}[${quoted(name)}].${part}`,
          type: 'annotation',
          detail: part === 'score' ? 'number' : 'string',
          boost: part === 'explanation' ? -1 : 0,
        });
      }
    }
  }
  return options;
}

/**
 * What to suggest with the cursor at `offset`: inside `annotations['…` (or `trace_annotations`,
 * `metadata`) the names the project has, completed with the closing quote and bracket (and
 * `.label` / `.score` for annotations); on a word, every name and keyword; inside other string
 * literals, nothing. `explicit` (Ctrl-Space) suggests even before anything is typed.
 */
export function completeFilter(
  text: string,
  offset: number,
  vocabulary: UiFilterVocabulary | undefined,
  explicit = false,
): CompletionResult | null {
  const before = text.slice(0, offset);
  const bracket = /\b(annotations|evals|trace_annotations|metadata)\[(['"])([^'"\\]*)$/.exec(before);
  if (bracket) {
    const [, root, quote, partial] = bracket as unknown as [string, string, string, string];
    const from = offset - partial.length;
    const names =
      root === 'metadata'
        ? (vocabulary?.metadata ?? []).map((m) => m.key)
        : root === 'trace_annotations'
          ? (vocabulary?.trace_annotation_names ?? [])
          : (vocabulary?.span_annotation_names ?? []);
    const escapeName = (name: string) => name.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`);
    const options: FilterCompletion[] = [];
    for (const name of names) {
      if (root === 'metadata') {
        options.push({ label: name, apply: `${escapeName(name)}${quote}]`, type: 'metadata' });
        continue;
      }
      for (const part of ANNOTATION_PARTS) {
        options.push({
          label: `${name}${quote}].${part}`,
          apply: `${escapeName(name)}${quote}].${part}`,
          type: 'annotation',
          detail: part === 'score' ? 'number' : 'string',
        });
      }
    }
    return { from, options };
  }
  if (insideString(text, offset)) return null;
  const word = /[A-Za-z_][A-Za-z0-9_.]*$/.exec(before);
  if (!word && !explicit) return null;
  const from = word ? offset - word[0].length : offset;
  return { from, options: [...nameOptions(vocabulary), ...KEYWORD_OPTIONS] };
}
