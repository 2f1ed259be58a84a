import { Matrix4, PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import {
  boundingSphere,
  fittingDistance,
  nearestPoint,
  pointInPolygon,
  pointsInPolygon,
  projectToScreen,
  spheresDiffer,
} from './geometry.js';

const identity = new Matrix4().elements;

describe('boundingSphere', () => {
  it('is centred on the bounding box and reaches the farthest point', () => {
    const sphere = boundingSphere(new Float32Array([0, 0, 0, 2, 0, 0, 1, 4, 0]));
    expect(sphere.center).toEqual([1, 2, 0]);
    expect(sphere.radius).toBeCloseTo(Math.hypot(1, 2));
  });

  it('gives no points, or points in one place, a usable radius', () => {
    expect(boundingSphere(new Float32Array())).toEqual({ center: [0, 0, 0], radius: 1 });
    expect(boundingSphere(new Float32Array([3, 3, 3, 3, 3, 3])).radius).toBeGreaterThan(0);
  });
});

describe('projectToScreen', () => {
  it('maps normalised device coordinates to CSS pixels, y downwards', () => {
    const screen = projectToScreen(new Float32Array([0, 0, 0, 1, 1, 0, -1, -1, 0]), identity, 200, 100);
    expect([...screen]).toEqual([100, 50, 200, 0, 0, 100]);
  });

  it('agrees with three.js for a perspective camera, and hides what is behind it', () => {
    const camera = new PerspectiveCamera(45, 2, 0.1, 100);
    camera.position.set(3, 2, 10);
    camera.lookAt(0, 0, 0);
    camera.updateMatrixWorld();
    const viewProjection = new Matrix4().multiplyMatrices(camera.projectionMatrix, camera.matrixWorldInverse);
    const points = [new Vector3(0, 0, 0), new Vector3(1, -2, 3), new Vector3(6, 4, 20)];
    const screen = projectToScreen(
      new Float32Array(points.flatMap((p) => p.toArray())),
      viewProjection.elements,
      800,
      400,
    );
    for (const [i, point] of points.slice(0, 2).entries()) {
      const ndc = point.clone().project(camera);
      expect(screen[2 * i]).toBeCloseTo(((ndc.x + 1) / 2) * 800, 3);
      expect(screen[2 * i + 1]).toBeCloseTo(((1 - ndc.y) / 2) * 400, 3);
    }
    expect(screen[4]).toBeNaN();
    expect(screen[5]).toBeNaN();
  });
});

describe('nearestPoint', () => {
  const screen = new Float32Array([10, 10, 20, 10, Number.NaN, Number.NaN, 50, 50]);

  it('picks the closest point within the distance', () => {
    expect(nearestPoint(screen, 13, 11, 5)).toBe(0);
    expect(nearestPoint(screen, 18, 10, 5)).toBe(1);
    expect(nearestPoint(screen, 52, 49, 5)).toBe(3);
  });

  it('picks nothing farther away, and never an unseen point', () => {
    expect(nearestPoint(screen, 35, 30, 5)).toBe(-1);
    expect(nearestPoint(new Float32Array([Number.NaN, Number.NaN]), 0, 0, 1e9)).toBe(-1);
  });
});

describe('pointInPolygon', () => {
  const square = [0, 0, 10, 0, 10, 10, 0, 10];
  // A U shape: its notch (x 4..6, y 0..8) is outside.
  const u = [0, 0, 4, 0, 4, 8, 6, 8, 6, 0, 10, 0, 10, 10, 0, 10];

  it('tells inside from outside', () => {
    expect(pointInPolygon(5, 5, square)).toBe(true);
    expect(pointInPolygon(-1, 5, square)).toBe(false);
    expect(pointInPolygon(5, 11, square)).toBe(false);
  });

  it('handles concave shapes', () => {
    expect(pointInPolygon(5, 4, u)).toBe(false);
    expect(pointInPolygon(2, 4, u)).toBe(true);
    expect(pointInPolygon(5, 9, u)).toBe(true);
  });
});

describe('pointsInPolygon', () => {
  it('returns the indices inside, ascending, and none for a degenerate lasso', () => {
    const screen = new Float32Array([5, 5, 50, 50, 2, 8, Number.NaN, Number.NaN, 9, 1]);
    expect(pointsInPolygon(screen, [0, 0, 10, 0, 10, 10, 0, 10])).toEqual([0, 2, 4]);
    expect(pointsInPolygon(screen, [0, 0, 10, 10])).toEqual([]);
  });
});

describe('camera fitting', () => {
  it('backs off far enough for the narrower field of view', () => {
    expect(fittingDistance(1, 90, 1)).toBeCloseTo(Math.SQRT2);
    expect(fittingDistance(1, 90, 0.5)).toBeGreaterThan(fittingDistance(1, 90, 1));
  });

  it('refits only when the sphere really moved or grew', () => {
    const a = { center: [0, 0, 0] as [number, number, number], radius: 10 };
    expect(spheresDiffer(a, { center: [0.01, 0, 0], radius: 10.01 })).toBe(false);
    expect(spheresDiffer(a, { center: [1, 0, 0], radius: 10 })).toBe(true);
    expect(spheresDiffer(a, { center: [0, 0, 0], radius: 12 })).toBe(true);
  });
});
