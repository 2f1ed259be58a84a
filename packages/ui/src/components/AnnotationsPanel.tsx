import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  boundsProblem,
  type UiAnnotationConfig,
  useProjectAnnotationConfigs,
} from '../api/annotation-configs.js';
import {
  type AnnotationDraft,
  canDelete,
  deleteAnnotation,
  saveAnnotation,
  saveNote,
} from '../api/annotations.js';
import type { AnnotationTargetKind, UiAnnotation } from '../api/types.js';
import { formatRelative, formatScore, formatTime } from './format.js';

/**
 * Every annotation of one span, trace or session, and the human side of them: add, edit and
 * delete annotations, add, edit and delete notes. Writes go through the REST API; the views that
 * show annotations refetch afterwards.
 */
export function AnnotationsPanel(props: {
  kind: AnnotationTargetKind;
  target: string;
  project: string;
  annotations: UiAnnotation[];
}) {
  const { kind, target, project } = props;
  const queryClient = useQueryClient();
  const configs = useProjectAnnotationConfigs(project).data ?? [];
  const annotations = props.annotations.filter((a) => a.target === target && a.target_kind === kind);
  const notes = annotations.filter((a) => a.name === 'note');
  const others = annotations.filter((a) => a.name !== 'note');
  const [editing, setEditing] = useState<UiAnnotation | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setEditing(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['trace'] }),
        queryClient.invalidateQueries({ queryKey: ['session'] }),
        queryClient.invalidateQueries({ queryKey: ['annotations'] }),
        queryClient.invalidateQueries({ queryKey: ['spans'] }),
        queryClient.invalidateQueries({ queryKey: ['sessions'] }),
      ]);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="annotations-panel" data-testid={`annotations-${kind}`}>
      <section className="block">
        <h3 className="block-title">
          Annotations
          {editing === null && (
            <button type="button" className="button small" onClick={() => setEditing('new')}>
              Add annotation
            </button>
          )}
        </h3>
        {error && (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        )}
        {editing !== null && (
          <AnnotationForm
            initial={editing === 'new' ? undefined : editing}
            configs={configs}
            busy={busy}
            onCancel={() => setEditing(null)}
            onSave={(draft) => run(() => saveAnnotation(kind, target, draft))}
          />
        )}
        {others.length === 0 ? (
          <p className="muted">No annotations yet.</p>
        ) : (
          <table className="annotation-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Label</th>
                <th>Score</th>
                <th>Explanation</th>
                <th>By</th>
                <th>Updated</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {others.map((a) => (
                <tr key={a.id} data-testid="annotation-row">
                  <td className="strong">{a.name}</td>
                  <td>{a.label ?? ''}</td>
                  <td className="num">{formatScore(a.score)}</td>
                  <td className="explanation">{a.explanation ?? ''}</td>
                  <td>
                    <span className={`chip chip-${a.annotator_kind.toLowerCase()}`}>
                      {a.annotator_kind.toLowerCase()}
                    </span>
                  </td>
                  <td className="muted small" title={formatTime(a.updated_at)}>
                    {formatRelative(a.updated_at)}
                  </td>
                  <td className="actions">
                    {a.annotator_kind === 'HUMAN' && (
                      <button
                        type="button"
                        className="button ghost small"
                        disabled={busy}
                        onClick={() => setEditing(a)}
                      >
                        Edit
                      </button>
                    )}
                    {canDelete(a) ? (
                      <button
                        type="button"
                        className="button ghost small danger"
                        disabled={busy}
                        onClick={() => run(() => deleteAnnotation(project, a))}
                      >
                        Delete
                      </button>
                    ) : (
                      <span
                        className="muted small"
                        title="Logged through the API without an identifier: delete it through the API"
                      >
                        API
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Notes
        notes={notes}
        busy={busy}
        onAdd={(text) => run(() => saveNote(kind, target, text))}
        onEdit={(note, text) => run(() => saveNote(kind, target, text, note.identifier))}
        onDelete={(note) => run(() => deleteAnnotation(project, note))}
      />
    </div>
  );
}

/**
 * A new or edited annotation. When its name is one of the project's annotation configs, the config
 * drives the fields: a categorical one offers its values (the value's score comes with it), a
 * continuous one takes a score within its bounds.
 */
function AnnotationForm(props: {
  initial: UiAnnotation | undefined;
  configs: UiAnnotationConfig[];
  busy: boolean;
  onCancel: () => void;
  onSave: (draft: AnnotationDraft) => void;
}) {
  const { initial } = props;
  const [name, setName] = useState(initial?.name ?? '');
  const [label, setLabel] = useState(initial?.label ?? '');
  const [score, setScore] = useState(
    initial?.score === null || initial?.score === undefined ? '' : String(initial.score),
  );
  const [explanation, setExplanation] = useState(initial?.explanation ?? '');
  const scoreValue = score.trim() === '' ? null : Number(score);
  const config = props.configs.find((c) => c.name === name.trim());
  const outOfBounds = boundsProblem(config, scoreValue);
  const chooseValue = (chosen: string) => {
    setLabel(chosen);
    if (config?.type !== 'CATEGORICAL') return;
    const value = config.values.find((v) => v.label === chosen);
    setScore(value?.score === null || value?.score === undefined ? '' : String(value.score));
  };
  const problem =
    name.trim() === ''
      ? 'Give the annotation a name.'
      : name.trim() === 'note'
        ? "'note' is reserved for notes: add a note below instead."
        : scoreValue !== null && !Number.isFinite(scoreValue)
          ? 'The score must be a number.'
          : outOfBounds
            ? outOfBounds
            : label.trim() === '' && scoreValue === null && explanation.trim() === ''
              ? 'Give a label, a score or an explanation.'
              : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (problem) return;
    props.onSave({
      name: name.trim(),
      label: label.trim() || null,
      score: scoreValue,
      explanation: explanation.trim() || null,
      ...(initial ? { identifier: initial.identifier } : {}),
    });
  };

  return (
    <form
      className="annotation-form"
      onSubmit={submit}
      aria-label={initial ? 'Edit annotation' : 'New annotation'}
    >
      <label>
        Name
        <input
          className="input"
          value={name}
          disabled={!!initial}
          onChange={(e) => setName(e.target.value)}
          placeholder="correctness"
          list="annotation-config-names"
        />
        <datalist id="annotation-config-names">
          {props.configs.map((c) => (
            <option key={c.id} value={c.name} />
          ))}
        </datalist>
      </label>
      {config?.type === 'CATEGORICAL' ? (
        <label>
          Label
          <select className="input" value={label} onChange={(e) => chooseValue(e.target.value)}>
            <option value="">—</option>
            {config.values.map((v) => (
              <option key={v.label} value={v.label}>
                {v.label}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <label>
          Label
          <input
            className="input"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            placeholder="correct"
          />
        </label>
      )}
      <label>
        Score
        <input
          className="input"
          value={score}
          inputMode="decimal"
          onChange={(e) => setScore(e.target.value)}
          placeholder="1"
          {...(config?.type === 'CONTINUOUS'
            ? {
                type: 'number',
                step: 'any',
                ...(config.lower_bound != null ? { min: config.lower_bound } : {}),
                ...(config.upper_bound != null ? { max: config.upper_bound } : {}),
              }
            : {})}
        />
      </label>
      {config?.description && <p className="muted small wide">{config.description}</p>}
      <label className="wide">
        Explanation
        <textarea
          className="input"
          value={explanation}
          rows={2}
          onChange={(e) => setExplanation(e.target.value)}
        />
      </label>
      <div className="form-actions wide">
        {problem && <span className="form-problem">{problem}</span>}
        <button type="button" className="button ghost" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={!!problem || props.busy}>
          {props.busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}

function Notes(props: {
  notes: UiAnnotation[];
  busy: boolean;
  onAdd: (text: string) => void;
  onEdit: (note: UiAnnotation, text: string) => void;
  onDelete: (note: UiAnnotation) => void;
}) {
  const [text, setText] = useState('');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  return (
    <section className="block">
      <h3 className="block-title">Notes</h3>
      {props.notes.length === 0 && <p className="muted">No notes yet.</p>}
      <ul className="notes">
        {props.notes.map((note) => (
          <li key={note.id} className="note" data-testid="note">
            {editing?.id === note.id ? (
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  if (editing.text.trim()) props.onEdit(note, editing.text.trim());
                  setEditing(null);
                }}
              >
                <textarea
                  className="input"
                  rows={2}
                  value={editing.text}
                  aria-label="Note text"
                  onChange={(e) => setEditing({ id: note.id, text: e.target.value })}
                />
                <div className="form-actions">
                  <button type="button" className="button ghost small" onClick={() => setEditing(null)}>
                    Cancel
                  </button>
                  <button type="submit" className="button small primary" disabled={props.busy}>
                    Save
                  </button>
                </div>
              </form>
            ) : (
              <>
                <div className="note-text">{note.explanation}</div>
                <div className="note-meta">
                  <span className="muted small" title={formatTime(note.updated_at)}>
                    {formatRelative(note.updated_at)}
                  </span>
                  <button
                    type="button"
                    className="button ghost small"
                    disabled={props.busy}
                    onClick={() => setEditing({ id: note.id, text: note.explanation ?? '' })}
                  >
                    Edit
                  </button>
                  {canDelete(note) && (
                    <button
                      type="button"
                      className="button ghost small danger"
                      disabled={props.busy}
                      onClick={() => props.onDelete(note)}
                    >
                      Delete
                    </button>
                  )}
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <form
        className="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!text.trim()) return;
          props.onAdd(text.trim());
          setText('');
        }}
      >
        <textarea
          className="input"
          rows={2}
          placeholder="Write a note…"
          aria-label="New note"
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="button small" disabled={props.busy || text.trim() === ''}>
          Add note
        </button>
      </form>
    </section>
  );
}
