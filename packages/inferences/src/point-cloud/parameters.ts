/**
 * The point cloud's parameters (issue #18 A.5): UMAP's, HDBSCAN's, the sampling and the window, with
 * Phoenix's defaults and ranges. A value out of range throws InvalidParameterError naming the API's
 * snake_case parameter.
 */
import type { Instant } from '../metrics/types.js';
import { InvalidParameterError } from '../model/errors.js';

export interface ClusterParameters {
  minClusterSize: number;
  minSamples: number;
  clusterSelectionEpsilon: number;
}

export interface PointCloudParameters extends ClusterParameters {
  nNeighbors: number;
  minDist: number;
  /** Points sampled from each of the primary window and the reference. */
  nSamples: number;
  nComponents: 2 | 3;
  /** Seeds the sampling and the layout: the same seed gives the same cloud. */
  seed: number;
  /** The end of the primary's 2-day window; default: the end of the primary's time range. */
  windowEnd?: Instant | undefined;
}

/** Phoenix's defaults (its UI asks for 3 components; the seed is ours: Phoenix's clouds are not reproducible). */
export const DEFAULT_POINT_CLOUD_PARAMETERS: Readonly<PointCloudParameters> = Object.freeze({
  nNeighbors: 30,
  minDist: 0,
  nSamples: 500,
  nComponents: 3,
  minClusterSize: 10,
  minSamples: 1,
  clusterSelectionEpsilon: 0,
  seed: 0,
});

interface Range {
  parameter: string;
  min: number;
  max: number;
  integer: boolean;
}

/**
 * The ranges: min_dist, n_neighbors as launch_app checks them; n_samples up to the UI's 100,000;
 * HDBSCAN's as fast_hdbscan accepts them.
 */
export const POINT_CLOUD_RANGES: Readonly<Record<keyof Omit<PointCloudParameters, 'windowEnd'>, Range>> = {
  nNeighbors: { parameter: 'n_neighbors', min: 5, max: 100, integer: true },
  minDist: { parameter: 'min_dist', min: 0, max: 0.99, integer: false },
  nSamples: { parameter: 'n_samples', min: 1, max: 100_000, integer: true },
  nComponents: { parameter: 'n_components', min: 2, max: 3, integer: true },
  minClusterSize: { parameter: 'min_cluster_size', min: 2, max: 1_000_000, integer: true },
  minSamples: { parameter: 'min_samples', min: 1, max: 1_000_000, integer: true },
  clusterSelectionEpsilon: {
    parameter: 'cluster_selection_epsilon',
    min: 0,
    max: Number.MAX_VALUE,
    integer: false,
  },
  seed: { parameter: 'seed', min: 0, max: 2 ** 31 - 1, integer: true },
};

function checked(key: keyof typeof POINT_CLOUD_RANGES, value: unknown): number {
  const { parameter, min, max, integer } = POINT_CLOUD_RANGES[key];
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    value >= min &&
    value <= max;
  if (!ok) {
    const kind = integer ? 'a whole number' : 'a number';
    const bound = max === Number.MAX_VALUE ? `≥ ${min}` : `from ${min} to ${max}`;
    throw new InvalidParameterError(`${parameter} must be ${kind} ${bound}, got ${String(value)}`, parameter);
  }
  return value;
}

/** The parameters with the defaults (`defaults`, then Phoenix's) filled in, each checked. */
export function pointCloudParameters(
  given: Partial<PointCloudParameters> = {},
  defaults: Partial<PointCloudParameters> = {},
): PointCloudParameters {
  const merged = { ...DEFAULT_POINT_CLOUD_PARAMETERS, ...defined(defaults), ...defined(given) };
  const parameters = { ...merged };
  for (const key of Object.keys(POINT_CLOUD_RANGES) as (keyof typeof POINT_CLOUD_RANGES)[]) {
    (parameters as Record<string, number>)[key] = checked(key, merged[key]);
  }
  if (merged.windowEnd !== undefined && !Number.isFinite(merged.windowEnd)) {
    throw new InvalidParameterError('window_end must be a date and time', 'window_end');
  }
  return parameters;
}

/** The clustering part, checked. */
export function clusterParameters(given: Partial<ClusterParameters> = {}): ClusterParameters {
  const { minClusterSize, minSamples, clusterSelectionEpsilon } = pointCloudParameters(given);
  return { minClusterSize, minSamples, clusterSelectionEpsilon };
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
