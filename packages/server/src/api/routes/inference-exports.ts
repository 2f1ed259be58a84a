/**
 * Exports of the embedding page's rows (Phoenix's `exportEvents` / `exportClusters` mutations and
 * its `/exports` download): `POST /v1/inferences/exports` writes `<working dir>/exports/<name>.parquet`,
 * the folder `session.exports` reads; `GET /v1/inferences/exports` lists them, newest first;
 * `GET /exports?filename=` downloads one. An explicit name that exists is refused with 409 (an export
 * is never overwritten); a default name (the time, to the second) that exists gets a suffix `_2`, ….
 */
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ExportEventIdError, exportClusters, exportRows } from '@fawkes/inferences';
import type pl from 'nodejs-polars';
import {
  ExportExistsError,
  type ExportedFile,
  ExportFolder,
  ExportNameError,
  exportName,
  exportsDirectory,
} from '../../server/export-files.js';
import { HttpError } from '../../util/http-error.js';
import { RequestValidationError } from '../fastapi-errors.js';
import { responses, textErrors } from '../schemas/common.js';
import {
  ExportDownloadQuery,
  InferencesExportBody,
  InferencesExportRequest,
  InferencesExportsBody,
} from '../schemas/inference-exports.js';
import type { ApiContext } from './context.js';
import { requireInferences } from './inferences-calls.js';

const wireFile = (file: ExportedFile) => ({
  file_name: file.fileName,
  ...(file.rowCount === undefined ? {} : { row_count: file.rowCount }),
  created_at: file.createdAt.toISOString(),
  url: `/exports?filename=${encodeURIComponent(file.fileName)}`,
});

const invalid = (loc: (string | number)[], msg: string, input: unknown) =>
  new RequestValidationError([{ loc, msg, type: 'value_error', input }]);

function checkedName(
  given: string | undefined,
  part: 'body' | 'query',
  parameter: string,
): string | undefined {
  if (given === undefined) return undefined;
  try {
    return exportName(given);
  } catch (error) {
    if (error instanceof ExportNameError) throw invalid([part, parameter], error.message, given);
    throw error;
  }
}

/** RFC 6266: a plain name as is, any other with an ASCII stand-in and its UTF-8 form. */
function contentDisposition(fileName: string): string {
  if (/^[\x20-\x7e]*$/.test(fileName) && !/["\\%]/.test(fileName))
    return `attachment; filename="${fileName}"`;
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

export const inferenceExportsRoutes: FastifyPluginAsyncTypebox<ApiContext> = async (
  app,
  { inferences, workingDir },
) => {
  const tags = ['inferences'];
  const folder = (): ExportFolder => {
    if (workingDir === undefined)
      throw new HttpError(404, 'This server has no working directory for exports');
    return new ExportFolder(exportsDirectory(workingDir));
  };

  app.post(
    '/v1/inferences/exports',
    {
      schema: {
        tags,
        operationId: 'exportInferences',
        summary: 'Export points of the embedding page to a Parquet file (Fawkes)',
        description:
          'Writes the original columns of the rows the event ids name (each row once; corpus rows are not exported) to `<working dir>/exports/<file_name>.parquet`, which `session.exports` reads. With `clusters`, each row also gets `__phoenix_cluster_id__`; `__phoenix_dataset_name__` is added when the model has more than one non-empty set. 404 without inference sets; 409 when an export of that name exists; 422 for an unknown event id or a bad file name.',
        body: InferencesExportRequest,
        response: responses(InferencesExportBody, 404, 409),
      },
    },
    async (request) => {
      const { model } = requireInferences(inferences);
      const { event_ids, clusters, file_name } = request.body;
      if ((event_ids === undefined) === (clusters === undefined)) {
        throw invalid(['body'], 'give either event_ids or clusters (exactly one of them)', request.body);
      }
      const name = checkedName(file_name, 'body', 'file_name');
      let frame: pl.DataFrame;
      try {
        frame = clusters
          ? exportClusters(
              model,
              clusters.map((c) => ({ id: c.id, eventIds: c.event_ids })),
            )
          : exportRows(model, event_ids!);
      } catch (error) {
        if (!(error instanceof ExportEventIdError)) throw error;
        const loc =
          error.clusterIndex === undefined
            ? ['body', 'event_ids', error.index]
            : ['body', 'clusters', error.clusterIndex, 'event_ids', error.index];
        throw invalid(loc, error.message, error.eventId);
      }
      try {
        return { data: wireFile(await folder().write(frame, name)) };
      } catch (error) {
        if (error instanceof ExportExistsError) throw new HttpError(409, error.message);
        throw error;
      }
    },
  );

  app.get(
    '/v1/inferences/exports',
    {
      schema: {
        tags,
        operationId: 'listInferencesExports',
        summary: 'The exported Parquet files, newest first (Fawkes)',
        description:
          'The files in `<working dir>/exports`, newest first, as the export dialog lists them, each with its download URL.',
        response: responses(InferencesExportsBody),
      },
    },
    async () => ({ data: (await folder().list()).map(wireFile) }),
  );

  app.get(
    '/exports',
    {
      schema: {
        tags,
        operationId: 'downloadInferencesExport',
        summary: 'Download an exported Parquet file (Phoenix)',
        description: 'The file `<working dir>/exports/<filename>.parquet`. 404 when there is none.',
        querystring: ExportDownloadQuery,
        response: {
          200: {
            description: 'The Parquet file',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          ...textErrors(404),
          422: responses(null)[422],
        },
      },
    },
    async (request, reply) => {
      const name = checkedName(request.query.filename, 'query', 'filename')!;
      const path = await folder().find(name);
      if (path === undefined) throw new HttpError(404, `no export named "${name}"`);
      return reply
        .type('application/octet-stream')
        .header('content-disposition', contentDisposition(`${name}.parquet`))
        .send(createReadStream(path));
    },
  );
};
