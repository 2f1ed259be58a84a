import type { ReactNode, Ref } from 'react';

/**
 * The contract between the embedding page and the WebGL point cloud (issue #18 B).
 * Columnar arrays so that 20,000 points cost no per-point objects on every render.
 */
export interface PointCloudProps {
  /** x, y, z per point (z is 0 for a 2-D projection): length 3 × n. */
  positions: Float32Array;
  /** r, g, b in 0..1 per point: length 3 × n. */
  colors: Float32Array;
  /** The point's event id, by index: length n. */
  ids: readonly string[];
  /** 3: orbit camera; 2: pan and zoom in the plane. */
  dimensions: 2 | 3;
  /** Point size in CSS pixels. */
  pointSize: number;
  /** 'move' orbits / pans / zooms; 'lasso' draws a free-hand shape that selects what it encloses. */
  mode: 'move' | 'lasso';
  /** Indices of the selected points (drawn larger / highlighted, the rest dimmed). */
  selected: ReadonlySet<number>;
  /** A click on a point (its index) or a finished lasso (every index inside), replacing the selection. */
  onSelect: (indices: number[]) => void;
  /** Retrieval lines: pairs of point indices [query, document]. */
  links?: readonly (readonly [number, number])[];
  /** What the tooltip shows for the hovered point. */
  tooltip?: (index: number) => ReactNode;
  /** Called after each drawn frame (the fps benchmark counts them). */
  onFrame?: () => void;
  /** Optional: where points are on screen now, and which GPU draws them (tests, benchmarks). */
  ref?: Ref<PointCloudHandle>;
}

export interface PointCloudHandle {
  /** The point's position in CSS pixels from the cloud's top left, or null when the camera cannot see it. */
  screenPosition(index: number): { x: number; y: number } | null;
  /** The WebGL renderer's name (WEBGL_debug_renderer_info), e.g. a SwiftShader build in headless chromium. */
  rendererName(): string;
}
