import { useProjectionProgress } from '../../api/point-cloud.js';

/** While the umap request runs: the layout's epochs done out of its total, polled from the server. */
export function ProjectionProgress({ name }: { name: string }) {
  const progress = useProjectionProgress(name, true);
  const running = progress.data?.find((p) => p.epochs_total !== null) ?? progress.data?.[0];
  const total = running?.epochs_total ?? null;
  const done = running?.epochs_done ?? 0;
  const text = total === null ? 'Sampling the points…' : `UMAP: ${done} / ${total} epochs`;
  return (
    <div className="projection-progress" role="status">
      <div
        role="progressbar"
        aria-label="Projection progress"
        aria-valuemin={0}
        aria-valuemax={total ?? undefined}
        aria-valuenow={total === null ? undefined : done}
        aria-valuetext={text}
        className="projection-progress-track"
      >
        <span
          className="projection-progress-bar"
          style={{ width: total ? `${Math.min(100, (done / total) * 100)}%` : '0%' }}
        />
      </div>
      <span data-testid="projection-progress-text">{text}</span>
    </div>
  );
}
