import { Type } from 'typebox';
import { Data, DateTime } from './common.js';

/** `/v1/inferences/exports` and `/exports`: rows of the embedding page written to `<working dir>/exports/*.parquet`. */

const EventIds = (description: string) =>
  Type.Array(Type.String({ description: 'An event id: `<row>:<primary|reference|corpus>`.' }), {
    description,
  });

const FileName = Type.String({
  description:
    'The file’s name without `.parquet` (a trailing `.parquet` is dropped). Default: the time in UTC, `YYYY-MM-DD_HH-MM-SS`. Names that would leave the exports folder (`/`, `\\`, `..`, a leading `.`, NUL, empty) are refused.',
});

const ExportCluster = Type.Object(
  {
    id: Type.Union([Type.String(), Type.Integer()], {
      description: 'Written as text in `__phoenix_cluster_id__`.',
    }),
    event_ids: EventIds('The cluster’s points.'),
  },
  { title: 'InferencesExportCluster' },
);

export const InferencesExportRequest = Type.Object(
  {
    event_ids: Type.Optional(
      EventIds('The selected points (a selection export). Corpus points are not exported.'),
    ),
    clusters: Type.Optional(
      Type.Array(ExportCluster, {
        description: 'Clusters (a cluster export, with `__phoenix_cluster_id__`); instead of event_ids.',
      }),
    ),
    file_name: Type.Optional(FileName),
  },
  { title: 'InferencesExportRequest' },
);

const ExportedFile = Type.Object(
  {
    file_name: Type.String({ description: 'The name without `.parquet`, as `/exports?filename=` takes it.' }),
    row_count: Type.Optional(
      Type.Integer({ description: 'Rows in the file (left out when it cannot be read).' }),
    ),
    created_at: DateTime('When the file was written (its modification time).'),
    url: Type.String({ description: 'Where to download it: `/exports?filename=<file_name>`.' }),
  },
  { title: 'InferencesExportedFile' },
);

export const InferencesExportBody = Data(ExportedFile, 'InferencesExportBody');
export const InferencesExportsBody = Data(Type.Array(ExportedFile), 'InferencesExportsBody');

export const ExportDownloadQuery = Type.Object({
  filename: Type.String({ description: 'The export’s name (without `.parquet`).' }),
});
