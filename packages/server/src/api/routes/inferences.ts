import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { SetRole } from '@fawkes/inferences';
import { HttpError } from '../../util/http-error.js';
import { isoFromMicros } from '../datetime.js';
import { responses } from '../schemas/common.js';
import { InferencesBody } from '../schemas/inferences.js';
import type { ApiContext, InferencesContext } from './context.js';

const NO_INFERENCES =
  'This app was launched without inference sets: launchApp({ primary, reference }) or fawkes serve --primary FILE --schema FILE';

const iso = (epochMillis: number) => isoFromMicros(Math.round(epochMillis * 1000));

/** The inference sets the app was launched with: `GET /v1/inferences`. */
export const inferencesRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (app, { inferences }) => {
  const tags = ['inferences'];
  const context = (): InferencesContext => {
    if (!inferences) throw new HttpError(404, NO_INFERENCES);
    return inferences;
  };

  app.get(
    '/v1/inferences',
    {
      schema: {
        tags,
        operationId: 'getInferences',
        summary: 'The inference sets, their dimensions and embeddings (Fawkes)',
        description:
          'The sets the app was launched with (primary, and reference and corpus when given), the dimensions (features, tags, predictions, actuals) and embeddings. 404 when it was launched without inference sets.',
        response: responses(InferencesBody, 404),
      },
    },
    async () => {
      const { model, umapParameters } = context();
      const set = (role: SetRole) => {
        const summary = model.sets.find((s) => s.role === role);
        if (!summary) return null;
        const { start, end } = summary.timeRange;
        return {
          name: summary.name,
          row_count: summary.rowCount,
          start_time: iso(start),
          end_time: iso(end),
        };
      };
      return {
        data: {
          primary: set('primary')!,
          reference: set('reference'),
          corpus: set('corpus'),
          dimensions: model.dimensions.map((d) => ({
            name: d.name,
            type: d.type,
            data_type: d.dataType,
            shape: d.shape,
          })),
          embeddings: model.embeddings.map((e) => ({ name: e.name, dimension: e.dimension })),
          default_umap_parameters: {
            min_dist: umapParameters.minDist,
            n_neighbors: umapParameters.nNeighbors,
            n_samples: umapParameters.nSamples,
          },
        },
      };
    },
  );
};
