import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import type { SpanRecord } from '../model/span-record.js';
import { defaultWorkingDir } from '../store/database-url.js';
import { FAWKES_VERSION } from '../version.js';
import { datasetSpans, missingSpanColumns } from './dataframe-spans.js';
import { type SpanEvaluation, SpanEvaluations } from './span-evaluations.js';

/** How a dataset's tables are stored: Parquet (the default) or Arrow IPC. */
export type DatasetFormat = 'parquet' | 'arrow';

export interface TraceDatasetOptions {
  /** One row per span, in Phoenix's columns (see spans-dataframe.ts); `attributes.*` optional. */
  dataframe: pl.DataFrame;
  /** Default `fawkes_traces_<uuid>`. */
  name?: string;
  /** Span-level evaluation results, loaded as span annotations at launch. */
  evaluations?: readonly SpanEvaluations[];
  /** Kept across save / load; a fresh UUID otherwise. */
  id?: string;
}

export interface SaveOptions {
  /** Default: `trace_datasets` in the working directory (PHOENIX_WORKING_DIR, else ~/.fawkes). */
  directory?: string;
  format?: DatasetFormat;
}

export class TraceDatasetError extends Error {}

const EXTENSIONS: Record<DatasetFormat, string> = { parquet: 'parquet', arrow: 'arrow' };
const TIME_TYPES = /^(Datetime|String|Null)$/;

/** Written next to each table, as Phoenix keeps these ids in its Parquet metadata. */
interface DatasetMetadata {
  dataset_id: string;
  dataset_name: string;
  eval_ids: string[];
  format: DatasetFormat;
  fawkes_version: string;
}
interface EvaluationsMetadata {
  eval_id: string;
  eval_name: string;
  eval_type: 'SpanEvaluations';
  format: DatasetFormat;
}

/** `trace_datasets` in the working directory (PHOENIX_WORKING_DIR, else ~/.fawkes). */
export function defaultDatasetDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(defaultWorkingDir(env), 'trace_datasets');
}

const datasetFile = (id: string, ext: string) => `trace_dataset-${id}.${ext}`;
const evaluationsFile = (id: string, ext: string) => `evaluations-${id}.${ext}`;

function writeTable(df: pl.DataFrame, path: string, format: DatasetFormat): void {
  if (format === 'parquet') df.writeParquet(path);
  else df.writeIPC(path);
}

async function readTable(path: string, format: DatasetFormat): Promise<pl.DataFrame> {
  // nodejs-polars 0.24 cannot read an IPC file by path (InvalidFooter); from its bytes it can.
  return format === 'parquet' ? pl.readParquet(path) : pl.readIPC(await readFile(path));
}

async function readJson<T>(path: string, what: string): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new TraceDatasetError(`No ${what}: ${path}`);
    throw error;
  }
  return JSON.parse(text) as T;
}

/** Ids name files: letters, digits, `-` and `_` only. */
function checkId(id: unknown): string {
  if (typeof id === 'string' && /^[\w-]+$/.test(id)) return id;
  throw new TraceDatasetError(
    `A dataset or evaluations id is letters, digits, - and _ only, got ${JSON.stringify(id)}`,
  );
}

function checkFormat(format: unknown): DatasetFormat {
  if (format === 'parquet' || format === 'arrow') return format;
  throw new TraceDatasetError(`format must be 'parquet' or 'arrow', got ${JSON.stringify(format)}`);
}

/**
 * Spans (a DataFrame in Phoenix's columns) with optional evaluations: savable to and loadable from a
 * directory, and preloaded by `launchApp({ trace })`. Phoenix's `TraceDataset`.
 */
export class TraceDataset {
  readonly id: string;
  readonly name: string;
  readonly dataframe: pl.DataFrame;
  readonly evaluations: readonly SpanEvaluations[];

  constructor({ dataframe, name, evaluations = [], id = randomUUID() }: TraceDatasetOptions) {
    const missing = missingSpanColumns(dataframe);
    if (missing.length > 0) {
      throw new TraceDatasetError(`The spans DataFrame lacks the column(s) ${missing.join(', ')}`);
    }
    for (const c of ['start_time', 'end_time']) {
      const variant = dataframe.getColumn(c).dtype.variant;
      if (!TIME_TYPES.test(variant)) {
        throw new TraceDatasetError(`Column ${c} must hold datetimes (or ISO 8601 strings), not ${variant}`);
      }
    }
    if (!Array.isArray(evaluations) || !evaluations.every((e) => e instanceof SpanEvaluations)) {
      throw new TraceDatasetError('evaluations must be an array of SpanEvaluations');
    }
    this.id = checkId(id);
    this.name = name ?? `fawkes_traces_${id}`;
    this.dataframe = dataframe;
    this.evaluations = [...evaluations];
  }

  /** Every span as it will be stored in `projectName`; throws naming the first bad row. */
  toSpans(projectName = 'default'): SpanRecord[] {
    return datasetSpans(this.dataframe, projectName).records;
  }

  /** Every evaluation result, one per evaluated span and evaluation name. */
  evaluationResults(): SpanEvaluation[] {
    return this.evaluations.flatMap((e) => e.results());
  }

  /**
   * Writes `trace_dataset-<id>.<parquet|arrow>` and `trace_dataset-<id>.json` (id, name, evaluation
   * ids), and for each evaluation set `evaluations-<id>.<ext>` and `.json`. Returns the dataset id,
   * which `TraceDataset.load` takes.
   */
  async save({
    directory = defaultDatasetDirectory(),
    format = 'parquet',
  }: SaveOptions = {}): Promise<string> {
    const ext = EXTENSIONS[checkFormat(format)];
    await mkdir(directory, { recursive: true });
    for (const e of this.evaluations) {
      writeTable(e.dataframe, join(directory, evaluationsFile(e.id, ext)), format);
      const meta: EvaluationsMetadata = {
        eval_id: e.id,
        eval_name: e.evalName,
        eval_type: 'SpanEvaluations',
        format,
      };
      await writeFile(join(directory, evaluationsFile(e.id, 'json')), `${JSON.stringify(meta, null, 2)}\n`);
    }
    writeTable(this.dataframe, join(directory, datasetFile(this.id, ext)), format);
    // The metadata file last: a save cut short leaves no dataset that looks complete.
    const meta: DatasetMetadata = {
      dataset_id: this.id,
      dataset_name: this.name,
      eval_ids: this.evaluations.map((e) => e.id),
      format,
      fawkes_version: FAWKES_VERSION,
    };
    await writeFile(join(directory, datasetFile(this.id, 'json')), `${JSON.stringify(meta, null, 2)}\n`);
    return this.id;
  }

  /**
   * The dataset `save` wrote under `id`. Evaluation sets that cannot be read are left out with a
   * warning (as Phoenix does); a missing or unreadable span table is an error.
   */
  static async load(id: string, { directory = defaultDatasetDirectory() }: { directory?: string } = {}) {
    checkId(id);
    const meta = await readJson<DatasetMetadata>(join(directory, datasetFile(id, 'json')), 'trace dataset');
    if (meta.dataset_id !== id) {
      throw new TraceDatasetError(
        `${datasetFile(id, 'json')} describes dataset ${meta.dataset_id}, not ${id}`,
      );
    }
    const format = checkFormat(meta.format ?? 'parquet');
    const dataframe = await readTable(join(directory, datasetFile(id, EXTENSIONS[format])), format);
    const evaluations: SpanEvaluations[] = [];
    for (const evalId of meta.eval_ids ?? []) {
      try {
        const e = await readJson<EvaluationsMetadata>(
          join(directory, evaluationsFile(evalId, 'json')),
          'evaluations',
        );
        const ef = checkFormat(e.format ?? format);
        const table = await readTable(join(directory, evaluationsFile(evalId, EXTENSIONS[ef])), ef);
        evaluations.push(new SpanEvaluations({ evalName: e.eval_name, dataframe: table, id: evalId }));
      } catch (error) {
        process.emitWarning(
          `Trace dataset ${id}: evaluations ${evalId} could not be loaded (${(error as Error).message})`,
          { code: 'FAWKES_EVALUATIONS_NOT_LOADED' },
        );
      }
    }
    return new TraceDataset({ dataframe, name: meta.dataset_name, evaluations, id });
  }
}
