import { useMemo, useState } from 'react';
import type { CloudPoint } from '../../api/point-cloud.js';
import { formatMetric } from '../model-format.js';
import { filterPoints, isImageUrl, labelText } from './selection-text.js';

/** More than this many matching points are counted but not all drawn. */
const SHOWN = 300;

/**
 * The selected points, as a list or (when their links are image URLs) a gallery, with a search over
 * every shown text: prediction id, raw text or image, labels and scores, feature and tag values.
 */
export function SelectionPanel({
  points,
  title,
  onExport,
  exportError,
}: {
  points: readonly CloudPoint[];
  title: string;
  onExport: () => void;
  exportError: string | null;
}) {
  const [query, setQuery] = useState('');
  const images = useMemo(
    () => points.length > 0 && points.every((p) => isImageUrl(p.link_to_data)),
    [points],
  );
  const [view, setView] = useState<'list' | 'gallery' | null>(null);
  const shownView = view ?? (images ? 'gallery' : 'list');
  const matching = useMemo(() => filterPoints(points, query), [points, query]);
  return (
    <section className="block selection-panel" aria-labelledby="selection-title">
      <div className="selection-header">
        <h2 className="block-title" id="selection-title">
          Selection {title && <span className="muted">· {title}</span>}
        </h2>
        <p data-testid="selection-count">{points.length} points selected</p>
        <button type="button" className="export-button" disabled={points.length === 0} onClick={onExport}>
          Export
        </button>
        <input
          type="search"
          aria-label="Search the selection"
          placeholder="Search the selection"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        <fieldset className="segmented" aria-label="View">
          {(['list', 'gallery'] as const).map((v) => (
            <button key={v} type="button" aria-pressed={shownView === v} onClick={() => setView(v)}>
              {v === 'list' ? 'List' : 'Gallery'}
            </button>
          ))}
        </fieldset>
        {query && (
          <span className="muted" data-testid="selection-matches">
            {matching.length} of {points.length} match
          </span>
        )}
      </div>
      {exportError && <p role="alert">{exportError}</p>}
      {shownView === 'gallery' ? (
        <ul className="selection-gallery" data-testid="selection-items">
          {matching.slice(0, SHOWN).map((p) => (
            <li key={p.event_id} data-event-id={p.event_id} className="selection-card">
              {isImageUrl(p.link_to_data) ? (
                <img src={p.link_to_data} alt={p.prediction_id ?? p.event_id} loading="lazy" />
              ) : (
                <p className="selection-text">{p.raw_data ?? p.link_to_data ?? '—'}</p>
              )}
              <PointDetails point={p} />
            </li>
          ))}
        </ul>
      ) : (
        <ul className="selection-list" data-testid="selection-items">
          {matching.slice(0, SHOWN).map((p) => (
            <li key={p.event_id} data-event-id={p.event_id} className="selection-row">
              <p className="selection-text">{p.raw_data ?? p.link_to_data ?? '—'}</p>
              <PointDetails point={p} />
            </li>
          ))}
        </ul>
      )}
      {matching.length > SHOWN && (
        <p className="muted">
          Showing {SHOWN} of {matching.length}: narrow the search to see the rest.
        </p>
      )}
    </section>
  );
}

function PointDetails({ point }: { point: CloudPoint }) {
  const dimensions = Object.entries(point.dimensions);
  return (
    <dl className="point-details">
      <div>
        <dt>Prediction id</dt>
        <dd data-testid="prediction-id">{point.prediction_id ?? point.event_id}</dd>
      </div>
      <div>
        <dt>Set</dt>
        <dd>{point.set}</dd>
      </div>
      <div>
        <dt>Predicted</dt>
        <dd>
          {labelText(point.prediction_label)}
          {point.prediction_score !== null && ` (${formatMetric(point.prediction_score)})`}
        </dd>
      </div>
      <div>
        <dt>Actual</dt>
        <dd>
          {labelText(point.actual_label)}
          {point.actual_score !== null && ` (${formatMetric(point.actual_score)})`}
        </dd>
      </div>
      {dimensions.map(([name, value]) => (
        <div key={name} className="point-dimension">
          <dt>{name}</dt>
          <dd>{labelText(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
