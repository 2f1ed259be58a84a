/**
 * A thread of the summary pool: it holds copies of some dimensions' columns and answers their rows
 * of the model home page's dimensions table for a span of primary rows (the engine's dimensionRow).
 * The reference's binning and histogram of every dimension are made as soon as the columns arrive
 * (they never change), so a first request only bins its primary rows.
 */
import { parentPort } from 'node:worker_threads';
import {
  type DimensionHeading,
  type DimensionShape,
  type DimensionSummary,
  type DimensionValues,
  dimensionRow,
  type ReferenceHistogram,
  type RowSpan,
  referenceHistogram,
} from '@fawkes/inferences';

export interface WorkerDimension {
  heading: DimensionHeading;
  shape: DimensionShape;
  primary: DimensionValues;
  /** Absent without a reference set. */
  reference?: DimensionValues | undefined;
}

export type SummaryWorkerRequest =
  | { type: 'init'; dimensions: WorkerDimension[] }
  | { type: 'rows'; id: number; span: RowSpan }
  /** Answered (with no rows) once the thread has made its reference sides. */
  | { type: 'ready'; id: number };

export type SummaryWorkerResponse =
  | { id: number; rows: DimensionSummary[] }
  | { id: number; error: { message: string; stack?: string | undefined } };

const port = parentPort;
if (port) {
  let dimensions: WorkerDimension[] = [];
  const references = new Map<number, ReferenceHistogram>();
  const referenceOf = (index: number): ReferenceHistogram | undefined => {
    const { reference, shape } = dimensions[index]!;
    if (!reference) return undefined;
    let found = references.get(index);
    if (!found) {
      found = referenceHistogram(shape, reference, { start: 0, end: reference.values.length });
      references.set(index, found);
    }
    return found;
  };
  port.on('message', (request: SummaryWorkerRequest) => {
    if (request.type === 'init') {
      dimensions = request.dimensions;
      references.clear();
      for (let index = 0; index < dimensions.length; index++) referenceOf(index);
      return;
    }
    let response: SummaryWorkerResponse;
    try {
      const { span } = request.type === 'rows' ? request : { span: undefined };
      const rows = span
        ? dimensions.map((dimension, index) =>
            dimensionRow(dimension.heading, dimension.primary, span, referenceOf(index)),
          )
        : [];
      response = { id: request.id, rows };
    } catch (error) {
      const { message, stack } = error instanceof Error ? error : new Error(String(error));
      response = { id: request.id, error: { message, stack } };
    }
    port.postMessage(response);
  });
}
