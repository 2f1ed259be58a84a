import { randomUUID } from 'node:crypto';
import pl from 'nodejs-polars';
import { jsonRowsFromDataframe } from './json-dataframe.js';
import { SPAN_ID } from './spans-dataframe.js';

/** One evaluation result, as it becomes a span annotation (annotator kind LLM, as Phoenix does). */
export interface SpanEvaluation {
  spanId: string;
  name: string;
  label: string | null;
  score: number | null;
  explanation: string | null;
}

export interface SpanEvaluationsOptions {
  /** The annotation name the results are stored under, e.g. `correctness`. */
  evalName: string;
  /**
   * One row per evaluated span: `context.span_id` (or `span_id`) and at least one of `label`
   * (string), `score` (number), `explanation` (string).
   */
  dataframe: pl.DataFrame;
  /** Kept across save / load; a fresh UUID otherwise. */
  id?: string;
}

export class EvaluationsError extends Error {}

const RESULT_COLUMNS = ['label', 'score', 'explanation'] as const;
const NUMERIC = /^(U?Int\d+|Float\d+|Null)$/;
const TEXT = /^(String|Utf8|Categorical|Enum|Null)$/;

/** Evaluation results per span (Phoenix's `SpanEvaluations`), loaded as span annotations at launch. */
export class SpanEvaluations {
  readonly evalName: string;
  readonly id: string;
  readonly dataframe: pl.DataFrame;

  constructor({ evalName, dataframe, id = randomUUID() }: SpanEvaluationsOptions) {
    if (typeof evalName !== 'string' || evalName.trim() === '') {
      throw new EvaluationsError('evalName must be a non-empty string');
    }
    const idColumn = [SPAN_ID, 'span_id'].find((c) => dataframe.columns.includes(c));
    if (!idColumn) {
      throw new EvaluationsError(`Evaluations '${evalName}' need a '${SPAN_ID}' (or 'span_id') column`);
    }
    const results = RESULT_COLUMNS.filter((c) => dataframe.columns.includes(c));
    if (results.length === 0) {
      throw new EvaluationsError(
        `Evaluations '${evalName}' need at least one of the columns label, score, explanation`,
      );
    }
    for (const c of results) {
      const variant = dataframe.getColumn(c).dtype.variant;
      const ok = c === 'score' ? NUMERIC.test(variant) : TEXT.test(variant);
      if (!ok) {
        throw new EvaluationsError(
          `Evaluations '${evalName}': column ${c} must hold ${c === 'score' ? 'numbers' : 'strings'}, not ${variant}`,
        );
      }
    }
    this.evalName = evalName;
    if (typeof id !== 'string' || !/^[\w-]+$/.test(id)) {
      throw new EvaluationsError(
        `An evaluations id is letters, digits, - and _ only, got ${JSON.stringify(id)}`,
      );
    }
    this.id = id;
    this.dataframe = dataframe
      .select(idColumn, ...results)
      .rename({ [idColumn]: SPAN_ID })
      .withColumns(
        ...results.map((c) => pl.col(c).cast(c === 'score' ? pl.Float64 : pl.Utf8)),
        pl.col(SPAN_ID).cast(pl.Utf8),
      );
    const nullIds = this.dataframe.getColumn(SPAN_ID).nullCount();
    if (nullIds > 0)
      throw new EvaluationsError(`Evaluations '${evalName}': ${nullIds} row(s) lack a span id`);
  }

  /** The results, one per row; rows without any result are left out. */
  results(): SpanEvaluation[] {
    const out: SpanEvaluation[] = [];
    for (const row of jsonRowsFromDataframe(this.dataframe)) {
      const label = typeof row.label === 'string' ? row.label : null;
      const score = typeof row.score === 'number' ? row.score : null;
      const explanation = typeof row.explanation === 'string' ? row.explanation : null;
      if (label === null && score === null && explanation === null) continue;
      out.push({
        spanId: String(row[SPAN_ID]).toLowerCase(),
        name: this.evalName,
        label,
        score,
        explanation,
      });
    }
    return out;
  }
}
