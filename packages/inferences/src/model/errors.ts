/** The facade's errors: a name the model does not have (HTTP 404) or a parameter it cannot take (422). */
export class InferenceModelError extends Error {
  /** The parameter at fault (`name`, `metric`, `start_time`, ...), for the server's message. */
  readonly parameter: string;

  constructor(message: string, parameter: string) {
    super(message);
    this.name = new.target.name;
    this.parameter = parameter;
  }
}

/** No dimension of that name (404). */
export class UnknownDimensionError extends InferenceModelError {
  readonly dimension: string;

  constructor(dimension: string, known: readonly string[]) {
    super(`no dimension named "${dimension}"${knownList(known)}`, 'name');
    this.dimension = dimension;
  }
}

/** No embedding of that name (404). */
export class UnknownEmbeddingError extends InferenceModelError {
  readonly embedding: string;

  constructor(embedding: string, known: readonly string[]) {
    super(`no embedding named "${embedding}"${knownList(known)}`, 'name');
    this.embedding = embedding;
  }
}

/** The model has no inference set in that role (no reference, no corpus): 404. */
export class MissingInferencesError extends InferenceModelError {
  readonly inferences: string;

  constructor(inferences: string, why: string) {
    super(`the model has no ${inferences} inferences: ${why}`, 'inferences');
    this.inferences = inferences;
  }
}

/** A metric the facade does not compute, or one that does not apply (422). */
export class UnknownMetricError extends InferenceModelError {
  readonly metric: string;

  constructor(metric: string, known: readonly string[]) {
    super(`unknown metric "${metric}"; the metrics are ${known.join(', ')}`, 'metric');
    this.metric = metric;
  }
}

/** A time range or granularity that cannot be used (422). */
export class InvalidParameterError extends InferenceModelError {}

function knownList(known: readonly string[]): string {
  if (known.length === 0) return ' (the model has none)';
  const shown = known.slice(0, 20).join(', ');
  return `; the names are ${shown}${known.length > 20 ? `, … (${known.length} in all)` : ''}`;
}
