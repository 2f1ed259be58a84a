import type { IngestOutcome, OtlpEncoding } from './protocol.js';

export interface SubmitOptions {
  /** The `x-project-name` header, which wins over the resource attribute. */
  projectOverride: string | null;
  /** PHOENIX_PROJECT_NAME, else `default`. */
  defaultProject: string;
}

/**
 * Where the collectors hand export requests. Resolves once the request's spans are durably stored
 * (or with why they were not); never rejects.
 */
export interface IngestWriter {
  submit(body: Uint8Array, encoding: OtlpEncoding, options: SubmitOptions): Promise<IngestOutcome>;
  /** False once the writer can no longer store anything (its thread died). */
  readonly healthy: boolean;
  /** Stores everything already accepted, then stops. */
  close(): Promise<void>;
}
