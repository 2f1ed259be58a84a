import type { InferenceModel } from '@fawkes/inferences';
import type { UmapParameters } from '../../server/umap-parameters.js';
import type { ReadStore } from '../../store/repositories/read-store.js';
import type { StoreCommands } from '../../writer/commands.js';

/** What every REST route plugin receives. */
export interface ApiContext {
  /** Reads, on the server's own read connection. */
  store: ReadStore;
  /** Writes, all through the single writer. */
  commands: StoreCommands;
  /** PHOENIX_PROJECT_NAME, else `default`: the project that cannot be deleted. */
  defaultProject: string;
  /** PHOENIX_DEFAULT_RETENTION_POLICY_DAYS: the age limit of projects without a policy of their own (0: none). */
  defaultRetentionDays?: number;
  /** The app's inference sets; undefined when it was launched without any. */
  inferences?: InferencesContext | undefined;
  /** The server's working directory, whose `exports/` folder the inference exports are written to. */
  workingDir?: string | undefined;
}

/** What the inferences routes answer from: the model over the sets the app was launched with. */
export interface InferencesContext {
  /** Built once, by whoever launches the server (launchApp, fawkes serve). */
  model: InferenceModel;
  /** The point cloud's defaults (launchApp's `defaultUmapParameters`, Phoenix's when not given). */
  umapParameters: UmapParameters;
}
