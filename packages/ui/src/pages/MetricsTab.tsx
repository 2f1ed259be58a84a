import { useMemo } from 'react';
import { useParams } from 'react-router-dom';
import { type MetricSeriesSet, useMetric, useTopModels } from '../api/metrics.js';
import { useTimeRange } from '../app/search-params.js';
import { ChartPanel } from '../components/charts.js';
import { formatDollars } from '../components/dollars.js';
import { formatCount } from '../components/format.js';
import { Lines, type SeriesStyle, StackedBars, seriesTotal } from '../components/metric-charts.js';
import { TopModelsTable } from '../components/TopModels.js';

const STATUS: Record<string, SeriesStyle> = {
  ok: { label: 'OK', color: 'var(--ok)' },
  error: { label: 'Error', color: 'var(--error)' },
  unset: { label: 'Unset', color: 'var(--k-other)' },
};
const LATENCY: Record<string, SeriesStyle> = {
  p50: { label: 'p50', color: 'var(--k-chain)' },
  p90: { label: 'p90', color: 'var(--k-tool)' },
  p99: { label: 'p99', color: 'var(--error)' },
};
const TOKENS: Record<string, SeriesStyle> = {
  prompt: { label: 'Prompt', color: 'var(--k-chain)' },
  completion: { label: 'Completion', color: 'var(--k-llm)' },
};
const KIND_STATUS: Record<string, SeriesStyle> = {
  ok: { label: 'OK', color: 'var(--ok)' },
  error: { label: 'Error', color: 'var(--error)' },
};
const PALETTE = [
  'var(--k-chain)',
  'var(--k-tool)',
  'var(--k-llm)',
  'var(--k-retriever)',
  'var(--k-embedding)',
];

/** No count above 0 (bars), or no value at all (lines: a mean score of 0 is data). */
const isEmpty = (set: MetricSeriesSet | undefined) =>
  !set || set.series.every((s) => s.values.every((v) => v === null || v === 0));
const hasNoValue = (set: MetricSeriesSet | undefined) =>
  !set || set.series.every((s) => s.values.every((v) => v === null));

/** The `errors` series of one span kind as OK / error counts (the total includes the errors). */
function kindSet(set: MetricSeriesSet | undefined, kind: 'llm' | 'tool'): MetricSeriesSet | undefined {
  if (!set) return undefined;
  const all = set.series.find((s) => s.name === kind)?.values ?? [];
  const errors = set.series.find((s) => s.name === `${kind}_error`)?.values ?? [];
  return {
    ...set,
    series: [
      { name: 'ok', values: all.map((v, i) => (v ?? 0) - (errors[i] ?? 0)) },
      { name: 'error', values: errors },
    ],
  };
}

/** A project's metrics over the page's time range, as Phoenix's metrics tab. */
export function MetricsTab() {
  const project = useParams().project!;
  const [, pageRange] = useTimeRange();
  // An open range ends now (to the minute, so that the queries' keys hold for a minute).
  const range = useMemo(
    () => ({ ...pageRange, end_time: new Date(Math.ceil(Date.now() / 60_000) * 60_000).toISOString() }),
    [pageRange],
  );
  const spans = useMetric(project, 'spans', range);
  const traces = useMetric(project, 'traces', range);
  const latency = useMetric(project, 'latency', range);
  const tokens = useMetric(project, 'tokens', range);
  const cost = useMetric(project, 'cost', range);
  const byCost = useTopModels(project, 'cost', range);
  const byTokens = useTopModels(project, 'tokens', range);
  const errors = useMetric(project, 'errors', range);
  const annotations = useMetric(project, 'annotations', range);
  const llm = kindSet(errors.data, 'llm');
  const tool = kindSet(errors.data, 'tool');
  const traceCount = seriesTotal(traces.data, 'ok') + seriesTotal(traces.data, 'error');
  const spanCount = ['ok', 'error', 'unset'].reduce((sum, name) => sum + seriesTotal(spans.data, name), 0);
  const scoreStyles = Object.fromEntries(
    (annotations.data?.series ?? []).map((s, i) => [
      s.name,
      { label: s.name, color: PALETTE[i % PALETTE.length]! },
    ]),
  );

  return (
    <div className="chart-grid" data-testid="metrics">
      <ChartPanel
        title={`Traces · ${formatCount(traceCount)}`}
        testId="metric-traces"
        queries={[traces]}
        empty={isEmpty(traces.data)}
      >
        {traces.data && <StackedBars set={traces.data} styles={KIND_STATUS} />}
      </ChartPanel>
      <ChartPanel
        title={`Spans · ${formatCount(spanCount)}`}
        testId="metric-spans"
        queries={[spans]}
        empty={isEmpty(spans.data)}
      >
        {spans.data && <StackedBars set={spans.data} styles={STATUS} />}
      </ChartPanel>
      <ChartPanel
        title="Trace latency"
        testId="metric-latency"
        queries={[latency]}
        empty={hasNoValue(latency.data)}
      >
        {latency.data && <Lines set={latency.data} styles={LATENCY} unit=" ms" />}
      </ChartPanel>
      <ChartPanel
        title={`Tokens · ${formatCount(seriesTotal(tokens.data, 'total'))}`}
        testId="metric-tokens"
        queries={[tokens]}
        empty={isEmpty(tokens.data)}
      >
        {tokens.data && <StackedBars set={tokens.data} styles={TOKENS} />}
      </ChartPanel>
      <ChartPanel
        title={`Cost · ${formatDollars(seriesTotal(cost.data, 'total'))}`}
        testId="metric-cost"
        queries={[cost]}
        empty={isEmpty(cost.data)}
      >
        {cost.data && <StackedBars set={cost.data} styles={TOKENS} />}
      </ChartPanel>
      <ChartPanel
        title="Top models by cost"
        testId="top-models-cost"
        queries={[byCost]}
        empty={!byCost.data?.length}
      >
        {byCost.data && <TopModelsTable models={byCost.data} />}
      </ChartPanel>
      <ChartPanel
        title="Top models by tokens"
        testId="top-models-tokens"
        queries={[byTokens]}
        empty={!byTokens.data?.length}
      >
        {byTokens.data && <TopModelsTable models={byTokens.data} />}
      </ChartPanel>
      <ChartPanel
        title={`LLM spans · ${formatCount(seriesTotal(errors.data, 'llm'))}, ${formatCount(seriesTotal(errors.data, 'llm_error'))} errors`}
        testId="metric-llm"
        queries={[errors]}
        empty={isEmpty(llm)}
      >
        {llm && <StackedBars set={llm} styles={KIND_STATUS} />}
      </ChartPanel>
      <ChartPanel
        title={`Tool spans · ${formatCount(seriesTotal(errors.data, 'tool'))}, ${formatCount(seriesTotal(errors.data, 'tool_error'))} errors`}
        testId="metric-tool"
        queries={[errors]}
        empty={isEmpty(tool)}
      >
        {tool && <StackedBars set={tool} styles={KIND_STATUS} />}
      </ChartPanel>
      <ChartPanel
        title="Annotation scores (mean)"
        testId="metric-annotations"
        queries={[annotations]}
        empty={hasNoValue(annotations.data)}
      >
        {annotations.data && <Lines set={annotations.data} styles={scoreStyles} />}
      </ChartPanel>
    </div>
  );
}
