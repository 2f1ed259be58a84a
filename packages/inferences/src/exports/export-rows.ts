/**
 * The rows an export writes (Phoenix's `export_rows_as_parquet_file`): for each set, its original
 * columns (`Inferences.dataframe`, in time order) at the rows the event ids name, each row once and
 * in row order, primary before reference. Corpus rows are not exported, as in Phoenix.
 * `__phoenix_dataset_name__` is added when the model has more than one non-empty set (so that every
 * export of a model has the same columns, whichever sets its rows come from), and
 * `__phoenix_cluster_id__` (text) for cluster exports.
 */
import pl from 'nodejs-polars';
import type { Inferences } from '../inferences/inferences.js';
import type { SetRole } from '../model/model.js';
import { parseEventId } from '../point-cloud/event-ids.js';

export const DATASET_NAME_COLUMN = '__phoenix_dataset_name__';
export const CLUSTER_ID_COLUMN = '__phoenix_cluster_id__';

export interface ExportSets {
  primary: Inferences;
  reference?: Inferences | undefined;
  corpus?: Inferences | undefined;
}

export interface ExportCluster {
  id: string | number;
  eventIds: readonly string[];
}

/** An event id that is not of the form `<row>:<set>` or names no row of the sets. */
export class ExportEventIdError extends Error {
  /** The first bad event id. */
  readonly eventId: string;
  /** Where it is: its index in the list, and the cluster's index for cluster exports. */
  readonly index: number;
  readonly clusterIndex: number | undefined;

  constructor(eventId: string, index: number, why: string, clusterIndex?: number) {
    super(`event id ${JSON.stringify(eventId)} ${why}`);
    this.name = new.target.name;
    this.eventId = eventId;
    this.index = index;
    this.clusterIndex = clusterIndex;
  }
}

type ExportedRole = 'primary' | 'reference';
const EXPORTED_ROLES: readonly ExportedRole[] = ['primary', 'reference'];

/** The rows of a selection (`exportEvents`). */
export function exportRows(sets: ExportSets, eventIds: readonly string[]): pl.DataFrame {
  const rows = { primary: new Map<number, string>(), reference: new Map<number, string>() };
  collect(sets, eventIds, rows, '');
  return assemble(sets, rows, false);
}

/** The rows of clusters (`exportClusters`); a row in several clusters is exported once, with the last. */
export function exportClusters(sets: ExportSets, clusters: readonly ExportCluster[]): pl.DataFrame {
  const rows = { primary: new Map<number, string>(), reference: new Map<number, string>() };
  clusters.forEach((cluster, clusterIndex) => {
    collect(sets, cluster.eventIds, rows, String(cluster.id), clusterIndex);
  });
  return assemble(sets, rows, true);
}

function collect(
  sets: ExportSets,
  eventIds: readonly string[],
  rows: Record<ExportedRole, Map<number, string>>,
  clusterId: string,
  clusterIndex?: number,
): void {
  eventIds.forEach((id, index) => {
    const event = parseEventId(id);
    if (!event) {
      throw new ExportEventIdError(
        id,
        index,
        'is not of the form "<row>:<primary|reference|corpus>"',
        clusterIndex,
      );
    }
    const set = setOf(sets, event.role);
    if (!set)
      throw new ExportEventIdError(
        id,
        index,
        `names a ${event.role} set the model does not have`,
        clusterIndex,
      );
    if (event.row >= set.rowCount) {
      throw new ExportEventIdError(
        id,
        index,
        `names row ${event.row} of the ${event.role} set, which has ${set.rowCount} rows`,
        clusterIndex,
      );
    }
    if (event.role !== 'corpus') rows[event.role].set(event.row, clusterId);
  });
}

function assemble(sets: ExportSets, rows: Record<ExportedRole, Map<number, string>>, withClusters: boolean) {
  const nonEmpty = EXPORTED_ROLES.filter((role) => (setOf(sets, role)?.rowCount ?? 0) > 0);
  const named = nonEmpty.length > 1;
  const parts: pl.DataFrame[] = [];
  for (const role of EXPORTED_ROLES) {
    const set = setOf(sets, role);
    const selected = rows[role];
    if (!set || (selected.size === 0 && role !== 'primary')) continue;
    const order = [...selected.keys()].sort((a, b) => a - b);
    const mask = new Array<boolean>(set.rowCount).fill(false);
    for (const row of order) mask[row] = true;
    let part = set.rowCount === 0 ? set.dataframe : set.dataframe.filter(pl.Series('mask', mask, pl.Bool));
    if (named) part = part.withColumn(pl.lit(displayName(set, role)).alias(DATASET_NAME_COLUMN));
    if (withClusters) {
      const ids = order.map((row) => selected.get(row)!);
      part = part.withColumn(pl.Series(CLUSTER_ID_COLUMN, ids, pl.String));
    }
    parts.push(part);
  }
  // The primary part, even empty, gives an empty selection the primary's columns.
  const chosen = parts.length > 1 && parts[0]!.height === 0 ? parts.slice(1) : parts;
  return chosen.length === 1 ? chosen[0]! : pl.concat(chosen, { how: 'diagonalRelaxed' });
}

/** The set's name, or its role when the name was generated (as the model's summary shows it). */
const displayName = (set: Inferences, role: SetRole) => (set.hasGeneratedName ? role : set.name);

const setOf = (sets: ExportSets, role: SetRole): Inferences | undefined => sets[role];
