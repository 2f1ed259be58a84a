import { del, enc, post } from './client.js';
import type { AnnotationTargetKind, UiAnnotation } from './types.js';

/** Writes go through Phoenix's REST API, exactly as Phoenix's clients send them. */

const ID_FIELD: Record<AnnotationTargetKind, string> = {
  span: 'span_id',
  trace: 'trace_id',
  session: 'session_id',
};

export interface AnnotationDraft {
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
  /** Kept when editing; new annotations from the UI get one per target (see below). */
  identifier?: string;
}

/**
 * The identifier of an annotation made in the UI: one per target, so that the same name on the same
 * target is edited rather than repeated (as Phoenix's app does), and so that it can be deleted alone
 * through the project's annotation delete, which selects by name and identifier.
 */
export function appIdentifier(target: string): string {
  return `px-app:${target}`;
}

export async function saveAnnotation(
  kind: AnnotationTargetKind,
  target: string,
  draft: AnnotationDraft,
): Promise<void> {
  await post(
    `/v1/${kind}_annotations`,
    {
      data: [
        {
          [ID_FIELD[kind]]: target,
          name: draft.name,
          annotator_kind: 'HUMAN',
          result: { label: draft.label, score: draft.score, explanation: draft.explanation },
          metadata: {},
          identifier: draft.identifier ?? appIdentifier(target),
        },
      ],
    },
    { sync: true },
  );
}

export async function saveNote(
  kind: AnnotationTargetKind,
  target: string,
  note: string,
  identifier?: string,
): Promise<void> {
  await post(`/v1/${kind}_notes`, {
    data: { [ID_FIELD[kind]]: target, note, ...(identifier ? { identifier } : {}) },
  });
}

/** Only annotations with an identifier can be deleted one by one through the REST API. */
export function canDelete(annotation: UiAnnotation): boolean {
  return annotation.identifier !== '';
}

export async function deleteAnnotation(project: string, annotation: UiAnnotation): Promise<void> {
  await del(`/v1/projects/${enc(project)}/${annotation.target_kind}_annotations`, {
    name: annotation.name,
    identifier: annotation.identifier,
    delete_all: true,
  });
}
