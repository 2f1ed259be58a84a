import type { ModelUsage } from '../api/metrics.js';
import { formatDollars } from './dollars.js';
import { formatCount } from './format.js';

/** The ranked models of the range: name, cost, tokens, spans. */
export function TopModelsTable({ models }: { models: ModelUsage[] }) {
  return (
    <table className="annotation-table">
      <thead>
        <tr>
          <th>Model</th>
          <th>Cost</th>
          <th>Tokens</th>
          <th>Spans</th>
        </tr>
      </thead>
      <tbody>
        {models.map((m) => (
          <tr key={m.model_name}>
            <td>{m.model_name}</td>
            <td
              title={`prompt ${formatDollars(m.prompt_cost)}, completion ${formatDollars(m.completion_cost)}`}
            >
              {formatDollars(m.total_cost)}
            </td>
            <td
              title={`prompt ${formatCount(m.prompt_tokens)}, completion ${formatCount(m.completion_tokens)}`}
            >
              {formatCount(m.total_tokens)}
            </td>
            <td>{formatCount(m.span_count)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
