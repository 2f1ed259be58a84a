import { type Api, dataOf } from '../http.js';
import type { ResponseBody } from '../types.js';

/** The app's inference sets, their dimensions and embeddings (`GET /v1/inferences`). */
export type InferencesInfo = ResponseBody<'getInferences'>['data'];
export type InferencesDimension = InferencesInfo['dimensions'][number];
export type InferencesEmbedding = InferencesInfo['embeddings'][number];
/** The inference sets the app was launched with; a NotFoundError when it has none. */
export class Inferences {
  constructor(private readonly api: Api) {}

  /** The sets (name, row count, time range), the dimensions and the embeddings. */
  async get(): Promise<InferencesInfo> {
    return dataOf(await this.api.GET('/v1/inferences')).data;
  }
}
