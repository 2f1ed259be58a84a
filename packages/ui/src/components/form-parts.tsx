/** Pieces every settings form and table repeats: the problem line and a row's Delete button. */

/** A form's problem, read out by screen readers when it appears; nothing when there is none. */
export function FormProblem({ problem }: { problem: string | null | undefined }) {
  if (!problem) return null;
  return (
    <span className="form-problem" role="alert">
      {problem}
    </span>
  );
}

/** A table row's Delete action, named for screen readers by what it deletes ("key ci"). */
export function DeleteButton({
  what,
  busy,
  onDelete,
}: {
  what: string;
  busy: boolean;
  onDelete: () => void;
}) {
  return (
    <button
      type="button"
      className="button ghost"
      disabled={busy}
      aria-label={`Delete ${what}`}
      onClick={onDelete}
    >
      Delete
    </button>
  );
}
