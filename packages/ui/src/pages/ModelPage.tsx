import { Link } from 'react-router-dom';
import {
  type DimensionSummary,
  type EmbeddingSummary,
  type InferencesSet,
  useInferences,
  useInferencesSummary,
} from '../api/inferences.js';
import { formatCount, formatTime } from '../components/format.js';
import { ModelRangePicker } from '../components/ModelRangePicker.js';
import { type SortableColumn, SortableTable } from '../components/SortableTable.js';
import { Empty, ErrorState, Loading } from '../components/states.js';
import { formatMetric, formatPercent } from './model-format.js';
import { rangeSearch, useModelRange } from './model-range.js';

/** Phoenix's /model home: the sets' time ranges, then the embeddings' and the dimensions' drift. */
export function ModelPage() {
  const info = useInferences();
  const [range, setRange] = useModelRange();
  const summary = useInferencesSummary(range);
  if (info.isPending) return <Loading label="Loading the model…" />;
  if (info.isError) return <ErrorState error={info.error} retry={() => void info.refetch()} />;
  if (info.data === null) {
    return (
      <div className="page">
        <Empty title="No inferences">
          <p>Launch the app with a primary inference set to see the model.</p>
        </Empty>
      </div>
    );
  }
  return (
    <div className="page model-page" aria-busy={summary.isFetching}>
      <div className="page-header">
        <h1>Model</h1>
        <div className="toolbar" aria-label="Time ranges" role="toolbar">
          <ModelRangePicker primary={info.data.primary} range={range} onChange={setRange} />
          {info.data.reference && <SetRange label="Reference" set={info.data.reference} />}
        </div>
      </div>
      {summary.isPending ? (
        <Loading label="Computing the model's metrics…" />
      ) : summary.isError ? (
        <ErrorState error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <>
          <section className="block" aria-labelledby="embeddings-title">
            <h2 className="block-title" id="embeddings-title">
              Embeddings
            </h2>
            {summary.data.embeddings.length === 0 ? (
              <p className="muted">No embedding features.</p>
            ) : (
              <SortableTable
                label="Embeddings"
                testId="embeddings-table"
                columns={embeddingColumns}
                rows={summary.data.embeddings}
                rowKey={(row) => row.name}
              />
            )}
          </section>
          <section className="block" aria-labelledby="dimensions-title">
            <h2 className="block-title" id="dimensions-title">
              Dimensions
            </h2>
            {summary.data.dimensions.length === 0 ? (
              <p className="muted">No dimensions.</p>
            ) : (
              <SortableTable
                label="Dimensions"
                testId="dimensions-table"
                columns={dimensionColumns(rangeSearch(range))}
                rows={summary.data.dimensions}
                rowKey={(row) => row.name}
              />
            )}
          </section>
        </>
      )}
    </div>
  );
}

function SetRange({ label, set }: { label: string; set: InferencesSet }) {
  return (
    <div className="set-range" data-testid={`${label.toLowerCase()}-range`}>
      <span className="set-range-label">{label}</span>
      <time dateTime={set.start_time}>{formatTime(set.start_time)}</time>
      <span aria-hidden="true">→</span>
      <time dateTime={set.end_time}>{formatTime(set.end_time)}</time>
      <span className="muted">{formatCount(set.row_count)} rows</span>
    </div>
  );
}

const embeddingColumns: SortableColumn<EmbeddingSummary>[] = [
  {
    id: 'name',
    header: 'Name',
    cell: (row) => <Link to={`/model/embeddings/${encodeURIComponent(row.name)}`}>{row.name}</Link>,
    sortValue: (row) => row.name,
  },
  {
    id: 'drift',
    header: 'Drift (euclidean distance)',
    cell: (row) => formatMetric(row.euclidean_distance),
    sortValue: (row) => row.euclidean_distance,
    numeric: true,
  },
];

const numeric = (
  id: keyof DimensionSummary & string,
  header: string,
  format: (value: number | null) => string = formatMetric,
): SortableColumn<DimensionSummary> => ({
  id,
  header,
  cell: (row) => format(row[id] as number | null),
  sortValue: (row) => row[id] as number | null,
  numeric: true,
});

/** The columns of the dimensions table; names link to the dimension's page over the same range. */
const dimensionColumns = (search: string): SortableColumn<DimensionSummary>[] => [
  {
    id: 'name',
    header: 'Name',
    cell: (row) => <Link to={`/model/dimensions/${encodeURIComponent(row.name)}${search}`}>{row.name}</Link>,
    sortValue: (row) => row.name,
  },
  { id: 'type', header: 'Type', cell: (row) => row.type, sortValue: (row) => row.type },
  { id: 'data_type', header: 'Data type', cell: (row) => row.data_type, sortValue: (row) => row.data_type },
  numeric('cardinality', 'Cardinality'),
  numeric('percent_empty', '% empty', formatPercent),
  numeric('min', 'Min'),
  numeric('mean', 'Mean'),
  numeric('max', 'Max'),
  numeric('psi', 'PSI'),
];
