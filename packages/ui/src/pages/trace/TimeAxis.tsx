import { timeAxisTicks } from './time-axis.js';

/**
 * The timeline's axis: ticks from the trace start, laid out in the same grid columns as the span
 * tree's rows so the bars line up under them. Inline styles keep it off the shared stylesheet.
 */
export function TimeAxis({ durationUs }: { durationUs: number }) {
  const ticks = timeAxisTicks(durationUs);
  return (
    <div
      className="time-axis"
      data-testid="time-axis"
      aria-hidden="true"
      style={{
        display: 'grid',
        gridTemplateColumns: 'minmax(0, 1.3fr) minmax(100px, 1fr) 64px',
        height: 22,
        fontSize: 11,
        color: 'var(--muted)',
        borderBottom: '1px solid var(--border)',
        fontVariantNumeric: 'tabular-nums',
      }}
    >
      <span />
      <div style={{ position: 'relative', margin: '0 4px 0 10px' }}>
        {ticks.map((tick, i) => (
          <span
            key={tick.offsetUs}
            className="time-axis-tick"
            data-testid="time-axis-tick"
            style={{
              position: 'absolute',
              left: `${tick.percent}%`,
              top: 0,
              bottom: 0,
              borderLeft: '1px solid var(--border)',
              paddingTop: 4,
              whiteSpace: 'nowrap',
            }}
          >
            <span
              style={{
                display: 'inline-block',
                transform:
                  i === 0
                    ? 'translateX(2px)'
                    : tick.percent > 90
                      ? 'translateX(calc(-100% - 2px))'
                      : 'translateX(-50%)',
              }}
            >
              {tick.label}
            </span>
          </span>
        ))}
      </div>
      <span />
    </div>
  );
}
