import type { ColorBy, LegendEntry } from './coloring.js';

export interface ColorOption {
  key: string;
  label: string;
  value: ColorBy;
}

export const colorKey = (by: ColorBy) => (by.kind === 'dimension' ? `dimension:${by.name}` : by.kind);

/** Above the cloud: move or lasso, 2-D or 3-D, point size, what the points are coloured by and its legend. */
export function CloudToolbar({
  mode,
  onModeChange,
  dimensions,
  onDimensionsChange,
  pointSize,
  onPointSizeChange,
  colorBy,
  colorOptions,
  onColorByChange,
  legend,
}: {
  mode: 'move' | 'lasso';
  onModeChange: (mode: 'move' | 'lasso') => void;
  dimensions: 2 | 3;
  onDimensionsChange: (dimensions: 2 | 3) => void;
  pointSize: number;
  onPointSizeChange: (size: number) => void;
  colorBy: ColorBy;
  colorOptions: readonly ColorOption[];
  onColorByChange: (by: ColorBy) => void;
  legend: readonly LegendEntry[];
}) {
  return (
    <div className="cloud-toolbar" role="toolbar" aria-label="Point cloud">
      <fieldset className="segmented" aria-label="Mode">
        {(['move', 'lasso'] as const).map((m) => (
          <button key={m} type="button" aria-pressed={mode === m} onClick={() => onModeChange(m)}>
            {m === 'move' ? 'Move' : 'Lasso'}
          </button>
        ))}
      </fieldset>
      <fieldset className="segmented" aria-label="Dimensions">
        {([2, 3] as const).map((d) => (
          <button key={d} type="button" aria-pressed={dimensions === d} onClick={() => onDimensionsChange(d)}>
            {d}-D
          </button>
        ))}
      </fieldset>
      <label>
        Point size{' '}
        <input
          type="range"
          aria-label="Point size"
          min={1}
          max={12}
          step={1}
          value={pointSize}
          onChange={(e) => onPointSizeChange(Number(e.target.value))}
        />
      </label>
      <label>
        Colour by{' '}
        <select
          aria-label="Colour by"
          value={colorKey(colorBy)}
          onChange={(e) => onColorByChange(colorOptions.find((o) => o.key === e.target.value)!.value)}
        >
          {colorOptions.map((o) => (
            <option key={o.key} value={o.key}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <ul className="cloud-legend" data-testid="cloud-legend" aria-label="Legend">
        {legend.map((entry) => (
          <li key={entry.label}>
            <span className="cloud-legend-swatch" style={{ background: entry.color }} aria-hidden="true" />
            {entry.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
