/**
 * The inferences routes' side of the seam with InferenceModel: a request's open-ended time range
 * made whole from the set's own, and the model's typed errors as HTTP answers (an unknown dimension
 * or embedding, or a set the app lacks: 404 with the model's message; a parameter it cannot take:
 * FastAPI's 422 naming it). No metric is computed here.
 */
import {
  type Granularity,
  type InferenceModel,
  InferenceModelError,
  InvalidParameterError,
  MissingInferencesError,
  type SetRole,
  type TimeRange,
  UnknownDimensionError,
  UnknownEmbeddingError,
  UnknownMetricError,
} from '@fawkes/inferences';
import { HttpError } from '../../util/http-error.js';
import { isoFromMicros, parseDateTime } from '../datetime.js';
import { RequestValidationError } from '../fastapi-errors.js';
import type { InferencesContext } from './context.js';

export interface TimeQuery {
  start_time?: string | undefined;
  end_time?: string | undefined;
}

const NO_INFERENCES =
  'This app was launched without inference sets: launchApp({ primary, reference }) or fawkes serve --primary FILE --schema FILE';

/** The app's inference sets; 404 saying how to launch with them when it has none. */
export function requireInferences(inferences: InferencesContext | undefined): InferencesContext {
  if (!inferences) throw new HttpError(404, NO_INFERENCES);
  return inferences;
}

/** An ISO date-time text as epoch milliseconds; undefined for none or for a text that is not one. */
export const millis = (text: string | undefined) => {
  if (text === undefined) return undefined;
  const parsed = parseDateTime(text);
  return parsed ? parsed.micros / 1000 : undefined;
};

/** Epoch milliseconds as the API's date-time text. */
export const isoFromMillis = (epochMillis: number) => isoFromMicros(Math.round(epochMillis * 1000));

/** The query's range in epoch milliseconds, an open end taken from the set's range; 422 when inverted. */
export function timeRange(
  model: InferenceModel,
  query: TimeQuery,
  role: SetRole = 'primary',
): TimeRange | undefined {
  const start = millis(query.start_time);
  const end = millis(query.end_time);
  if (start !== undefined && end !== undefined && start >= end) {
    throw new RequestValidationError([
      {
        loc: ['query', 'start_time'],
        msg: `start_time must be before end_time (got ${query.start_time} and ${query.end_time})`,
        type: 'value_error',
        input: query.start_time,
      },
    ]);
  }
  if (start === undefined && end === undefined) return undefined;
  const own = model.timeRange(role);
  return { start: start ?? own.start, end: end ?? own.end };
}

export interface GranularityQuery {
  evaluation_window_minutes?: number | undefined;
  sampling_interval_minutes?: number | undefined;
}

/** The granularity asked for (one of the two alone stands for both); undefined: the model's default. */
export function granularity(query: GranularityQuery): Granularity | undefined {
  const window = query.evaluation_window_minutes ?? query.sampling_interval_minutes;
  const interval = query.sampling_interval_minutes ?? query.evaluation_window_minutes;
  if (window === undefined || interval === undefined) return undefined;
  return { evaluationWindowMinutes: window, samplingIntervalMinutes: interval };
}

/** Runs a model call, its typed errors answered as the API answers them (422s located in the query or the body). */
export function answer<T>(call: () => T, location: 'query' | 'body' = 'query'): T {
  try {
    return call();
  } catch (error) {
    throw asHttpError(error, location);
  }
}

/** The same for a call that settles later (a worker's). */
export async function answerLater<T>(
  call: () => Promise<T>,
  location: 'query' | 'body' = 'query',
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asHttpError(error, location);
  }
}

function asHttpError(error: unknown, location: 'query' | 'body'): unknown {
  if (
    error instanceof UnknownDimensionError ||
    error instanceof UnknownEmbeddingError ||
    error instanceof MissingInferencesError
  ) {
    return new HttpError(404, error.message);
  }
  if (
    error instanceof UnknownMetricError ||
    error instanceof InvalidParameterError ||
    error instanceof InferenceModelError
  ) {
    return new RequestValidationError([
      { loc: [location, error.parameter], msg: error.message, type: 'value_error' },
    ]);
  }
  return error;
}
