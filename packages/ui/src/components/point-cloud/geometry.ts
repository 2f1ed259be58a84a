/**
 * The point cloud's screen-space maths, free of three.js and the DOM: projecting points with a
 * camera's matrix, picking the nearest one, selecting those inside a lasso, fitting a camera.
 * Screen positions are CSS pixels from the top left of the canvas; a point the camera cannot see
 * (behind it, or outside its near/far range) is NaN and never picked.
 */

export interface Sphere {
  center: [number, number, number];
  radius: number;
}

/** The smallest sphere centred on the points' bounding box that holds them all (radius ≥ a tiny floor). */
export function boundingSphere(positions: ArrayLike<number>): Sphere {
  const count = Math.floor(positions.length / 3);
  if (count === 0) return { center: [0, 0, 0], radius: 1 };
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let axis = 0; axis < 3; axis++) {
      const value = positions[3 * i + axis]!;
      if (value < min[axis]!) min[axis] = value;
      if (value > max[axis]!) max[axis] = value;
    }
  }
  const center: [number, number, number] = [
    (min[0]! + max[0]!) / 2,
    (min[1]! + max[1]!) / 2,
    (min[2]! + max[2]!) / 2,
  ];
  let radiusSquared = 0;
  for (let i = 0; i < count; i++) {
    const dx = positions[3 * i]! - center[0];
    const dy = positions[3 * i + 1]! - center[1];
    const dz = positions[3 * i + 2]! - center[2];
    radiusSquared = Math.max(radiusSquared, dx * dx + dy * dy + dz * dz);
  }
  // A single point (or all in one place) still needs a camera distance.
  return { center, radius: Math.max(Math.sqrt(radiusSquared), 1e-6) };
}

/**
 * Projects every point with a column-major 4×4 view-projection matrix (three.js's `elements`) into
 * `out` (x, y per point, CSS pixels) for a canvas of `width` × `height`.
 */
export function projectToScreen(
  positions: ArrayLike<number>,
  viewProjection: ArrayLike<number>,
  width: number,
  height: number,
  out: Float32Array = new Float32Array((positions.length / 3) * 2),
): Float32Array {
  const m = viewProjection;
  const count = Math.floor(positions.length / 3);
  for (let i = 0; i < count; i++) {
    const x = positions[3 * i]!;
    const y = positions[3 * i + 1]!;
    const z = positions[3 * i + 2]!;
    const w = m[3]! * x + m[7]! * y + m[11]! * z + m[15]!;
    const clipZ = m[2]! * x + m[6]! * y + m[10]! * z + m[14]!;
    if (w <= 0 || clipZ < -w || clipZ > w) {
      out[2 * i] = Number.NaN;
      out[2 * i + 1] = Number.NaN;
      continue;
    }
    const ndcX = (m[0]! * x + m[4]! * y + m[8]! * z + m[12]!) / w;
    const ndcY = (m[1]! * x + m[5]! * y + m[9]! * z + m[13]!) / w;
    out[2 * i] = ((ndcX + 1) / 2) * width;
    out[2 * i + 1] = ((1 - ndcY) / 2) * height;
  }
  return out;
}

/** The index of the projected point nearest (x, y) within `maxDistance` px, or -1. */
export function nearestPoint(screen: Float32Array, x: number, y: number, maxDistance: number): number {
  let best = -1;
  let bestSquared = maxDistance * maxDistance;
  for (let i = 0; i < screen.length / 2; i++) {
    const dx = screen[2 * i]! - x;
    const dy = screen[2 * i + 1]! - y;
    const squared = dx * dx + dy * dy;
    // NaN (unseen) compares false and is skipped.
    if (squared <= bestSquared) {
      best = i;
      bestSquared = squared;
    }
  }
  return best;
}

/** Even-odd rule: is (x, y) inside the polygon given as [x0, y0, x1, y1, …] (closed implicitly)? */
export function pointInPolygon(x: number, y: number, polygon: ArrayLike<number>): boolean {
  const vertices = Math.floor(polygon.length / 2);
  let inside = false;
  for (let i = 0, j = vertices - 1; i < vertices; j = i++) {
    const xi = polygon[2 * i]!;
    const yi = polygon[2 * i + 1]!;
    const xj = polygon[2 * j]!;
    const yj = polygon[2 * j + 1]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices of the projected points inside the polygon, ascending; a bounding-box test first. */
export function pointsInPolygon(screen: Float32Array, polygon: ArrayLike<number>): number[] {
  if (polygon.length < 6) return [];
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < polygon.length; i += 2) {
    minX = Math.min(minX, polygon[i]!);
    maxX = Math.max(maxX, polygon[i]!);
    minY = Math.min(minY, polygon[i + 1]!);
    maxY = Math.max(maxY, polygon[i + 1]!);
  }
  const inside: number[] = [];
  for (let i = 0; i < screen.length / 2; i++) {
    const x = screen[2 * i]!;
    const y = screen[2 * i + 1]!;
    if (!(x >= minX && x <= maxX && y >= minY && y <= maxY)) continue;
    if (pointInPolygon(x, y, polygon)) inside.push(i);
  }
  return inside;
}

/** How far a perspective camera with vertical field of view `fovDegrees` must be to see the whole sphere. */
export function fittingDistance(radius: number, fovDegrees: number, aspect: number): number {
  const vertical = (fovDegrees * Math.PI) / 360;
  const horizontal = Math.atan(Math.tan(vertical) * aspect);
  return radius / Math.sin(Math.min(vertical, horizontal));
}

/** Whether two fitted spheres differ enough that the camera should be fitted again. */
export function spheresDiffer(a: Sphere, b: Sphere, tolerance = 0.01): boolean {
  const scale = Math.max(a.radius, b.radius) * tolerance;
  return (
    Math.abs(a.radius - b.radius) > scale ||
    Math.hypot(a.center[0] - b.center[0], a.center[1] - b.center[1], a.center[2] - b.center[2]) > scale
  );
}
