/** Per-cluster figures of a clustered point cloud (issue #18 A.2), as Phoenix's Cluster type gives them. */

export type PointSet = 'primary' | 'reference' | 'corpus';

export interface ClusterSummary {
  /** "0", "1", … as clusterPoints numbered them. */
  id: string;
  size: number;
  /** The cluster's points (indices into the projection), ascending. */
  points: Int32Array;
  counts: Record<PointSet, number>;
  /** (primary − reference) / (primary + reference); null without a reference set or with neither in the cluster. */
  driftRatio: number | null;
  /** (primary − corpus) / (primary + corpus); null without a corpus set or with neither in the cluster. */
  primaryToCorpusRatio: number | null;
}

const ratio = (a: number, b: number): number | null => (a + b === 0 ? null : (a - b) / (a + b));

/**
 * The clusters of `labels` (from clusterPoints), in id order; `sets` says which points belong to
 * which set (as projectEmbeddings laid them out). Sets that are absent or empty count as absent.
 */
export function summarizeClusters(
  labels: Int32Array,
  sets: readonly { role: PointSet; start: number; count: number }[],
): ClusterSummary[] {
  const roles = new Array<PointSet | undefined>(labels.length);
  for (const { role, start, count } of sets) {
    if (start < 0 || start + count > labels.length) {
      throw new RangeError(
        `set ${role} [${start}, ${start + count}) lies outside the ${labels.length} points`,
      );
    }
    for (let p = start; p < start + count; p++) roles[p] = role;
  }
  return summarizeClustersByRole(labels, roles);
}

/** The same, with each point's set given point by point (undefined: a point of no set). */
export function summarizeClustersByRole(
  labels: Int32Array,
  roles: readonly (PointSet | undefined)[],
): ClusterSummary[] {
  if (roles.length !== labels.length) {
    throw new RangeError(`${roles.length} roles for ${labels.length} points`);
  }
  const present = new Set<PointSet>();
  for (const role of roles) if (role) present.add(role);
  let clusters = 0;
  for (const label of labels) if (label + 1 > clusters) clusters = label + 1;
  const members: number[][] = Array.from({ length: clusters }, () => []);
  labels.forEach((label, point) => {
    if (label >= 0) members[label]!.push(point);
  });
  return members.map((points, id) => {
    const counts: Record<PointSet, number> = { primary: 0, reference: 0, corpus: 0 };
    for (const p of points) {
      const role = roles[p];
      if (role) counts[role]++;
    }
    return {
      id: String(id),
      size: points.length,
      points: Int32Array.from(points),
      counts,
      driftRatio: present.has('reference') ? ratio(counts.primary, counts.reference) : null,
      primaryToCorpusRatio: present.has('corpus') ? ratio(counts.primary, counts.corpus) : null,
    };
  });
}
