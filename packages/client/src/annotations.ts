/**
 * Annotations as the caller gives them (camelCase, one object) and as the server takes them, with
 * Phoenix's client-side rules: a name, an annotator kind of LLM / CODE / HUMAN (default HUMAN), and
 * at least one of label, score or explanation (blank strings do not count). Nothing is sent when a
 * rule is broken.
 */
import { InvalidArgumentError } from './errors.js';
import type { AnnotatorKind } from './types.js';

export const ANNOTATOR_KINDS: readonly AnnotatorKind[] = ['LLM', 'CODE', 'HUMAN'];

/** What every annotation carries, whatever it annotates. */
export interface AnnotationFields {
  /** The annotation's name, e.g. `correctness`. (`note` is reserved for notes.) */
  annotationName: string;
  /** Who made it. Default `HUMAN`. */
  annotatorKind?: AnnotatorKind;
  label?: string | null;
  score?: number | null;
  explanation?: string | null;
  metadata?: Record<string, unknown> | null;
  /**
   * Annotations are unique on (target, name, identifier): writing the same triple again updates it.
   * A non-empty identifier lets one target carry several annotations of one name.
   */
  identifier?: string | null;
}

/** The server's form of the fields (without the target). */
export interface AnnotationBody {
  name: string;
  annotator_kind: AnnotatorKind;
  result: { label?: string; score?: number; explanation?: string };
  metadata?: Record<string, unknown>;
  identifier?: string;
}

export function checkAnnotatorKind(kind: unknown, where: string): AnnotatorKind {
  if (!ANNOTATOR_KINDS.includes(kind as AnnotatorKind)) {
    throw new InvalidArgumentError(
      `${where}annotatorKind must be one of ${ANNOTATOR_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
    );
  }
  return kind as AnnotatorKind;
}

const nonBlank = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** The server's form of `fields`; `where` prefixes error messages (e.g. `spanAnnotations[2]: `). */
export function annotationBody(fields: AnnotationFields, where = ''): AnnotationBody {
  if (!nonBlank(fields.annotationName)) {
    throw new InvalidArgumentError(`${where}annotationName must be a non-empty string`);
  }
  const result: AnnotationBody['result'] = {};
  const { label, score, explanation, metadata, identifier } = fields;
  if (label != null && typeof label !== 'string')
    throw new InvalidArgumentError(`${where}label must be a string`);
  if (nonBlank(label)) result.label = label.trim();
  if (score != null) {
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw new InvalidArgumentError(`${where}score must be a finite number, got ${String(score)}`);
    }
    result.score = score;
  }
  if (explanation != null && typeof explanation !== 'string') {
    throw new InvalidArgumentError(`${where}explanation must be a string`);
  }
  if (nonBlank(explanation)) result.explanation = explanation.trim();
  if (Object.keys(result).length === 0) {
    throw new InvalidArgumentError(`${where}At least one of label, score, or explanation must be provided`);
  }
  if (metadata != null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
    throw new InvalidArgumentError(`${where}metadata must be an object`);
  }
  const body: AnnotationBody = {
    name: fields.annotationName.trim(),
    annotator_kind: checkAnnotatorKind(fields.annotatorKind ?? 'HUMAN', where),
    result,
  };
  if (metadata && Object.keys(metadata).length > 0) body.metadata = metadata;
  if (nonBlank(identifier)) body.identifier = identifier.trim();
  return body;
}

/** Each item's body with its target; `name` names the list in error messages. */
export function annotationBodies<Item extends AnnotationFields, Target>(
  items: readonly Item[],
  name: string,
  target: (item: Item, where: string) => Target,
): (AnnotationBody & Target)[] {
  if (!Array.isArray(items) || items.length === 0) {
    throw new InvalidArgumentError(`${name} cannot be empty`);
  }
  return items.map((item, i) => {
    const where = items.length === 1 ? '' : `${name}[${i}]: `;
    return { ...annotationBody(item, where), ...target(item, where) };
  });
}

/** A target id: a non-empty string, trimmed as Phoenix's clients trim it. */
export function targetId(value: unknown, what: string, where: string): string {
  if (!nonBlank(value)) throw new InvalidArgumentError(`${where}${what} must be a non-empty string`);
  return value.trim();
}
