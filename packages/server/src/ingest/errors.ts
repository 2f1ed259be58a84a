/**
 * The one error the ingest decoders throw on bad input. Its message is meant for the client as is
 * (the server answers 400 with it): it names what is wrong and where.
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
}

/** Prefix of every message about a body that cannot be parsed at all. */
export const INVALID_REQUEST = 'Request body is invalid ExportTraceServiceRequest';
