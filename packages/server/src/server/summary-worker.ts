/**
 * A thread of the summary pool: it holds copies of some dimensions' columns and answers their rows
 * of the model home page's dimensions table for a span of primary rows (the engine's dimensionRow),
 * the reference's binning and histogram computed once per dimension.
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
  | { type: 'rows'; id: number; span: RowSpan };

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
      return;
    }
    let response: SummaryWorkerResponse;
    try {
      const rows = dimensions.map((dimension, index) =>
        dimensionRow(dimension.heading, dimension.primary, request.span, referenceOf(index)),
      );
      response = { id: request.id, rows };
    } catch (error) {
      const { message, stack } = error instanceof Error ? error : new Error(String(error));
      response = { id: request.id, error: { message, stack } };
    }
    port.postMessage(response);
  });
}
