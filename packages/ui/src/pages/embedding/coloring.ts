import { interpolateCool, schemeCategory10 } from 'd3-scale-chromatic';
import type { CloudPoint, Label, SetRole } from '../../api/point-cloud.js';

/** What the cloud is coloured by (Phoenix's colouring panel). */
export type ColorBy = { kind: 'set' } | { kind: 'correctness' } | { kind: 'dimension'; name: string };

export interface LegendEntry {
  label: string;
  /** A CSS colour. */
  color: string;
}

export interface PointColors {
  /** r, g, b in 0..1 per point. */
  colors: Float32Array;
  legend: LegendEntry[];
}

/** Phoenix's colours by inference set (light theme). */
export const SET_COLORS: Record<SetRole, string> = {
  primary: '#00add0',
  reference: '#4500d9',
  corpus: '#a5a5a5',
};
const UNKNOWN = '#a5a5a5';
const CORRECT = '#1f9ad6';
const INCORRECT = '#f28e2c';
/** Up to this many values a dimension gets a categorical palette, beyond it a sequential scale. */
const MAX_CATEGORIES = 10;
const NUMERIC_BINS = 10;

const rgbCache = new Map<string, [number, number, number]>();
function rgb(css: string): [number, number, number] {
  let cached = rgbCache.get(css);
  if (!cached) {
    cached = parseRgb(css);
    rgbCache.set(css, cached);
  }
  return cached;
}

/** '#rrggbb' (the palettes and ours) or 'rgb(r, g, b)' (d3's interpolators) as 0..1 channels. */
function parseRgb(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(css);
  const channels = hex
    ? hex.slice(1).map((h) => Number.parseInt(h, 16))
    : (/^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css)?.slice(1).map(Number) ?? [165, 165, 165]);
  return [channels[0]! / 255, channels[1]! / 255, channels[2]! / 255];
}

function fill(points: readonly CloudPoint[], colorOf: (point: CloudPoint) => string): Float32Array {
  const colors = new Float32Array(points.length * 3);
  points.forEach((point, i) => {
    colors.set(rgb(colorOf(point)), 3 * i);
  });
  return colors;
}

/** Whether the point's prediction is right; null when it lacks a predicted or an actual label. */
export function isCorrect(point: CloudPoint): boolean | null {
  if (point.prediction_label === null || point.actual_label === null) return null;
  return String(point.prediction_label) === String(point.actual_label);
}

/** Every point's colour and the legend, for one colouring (computed once per change, not per render). */
export function pointColors(points: readonly CloudPoint[], by: ColorBy): PointColors {
  switch (by.kind) {
    case 'set': {
      const present = new Set(points.map((p) => p.set));
      return {
        colors: fill(points, (p) => SET_COLORS[p.set]),
        legend: (Object.keys(SET_COLORS) as SetRole[])
          .filter((set) => present.has(set))
          .map((set) => ({ label: set, color: SET_COLORS[set] })),
      };
    }
    case 'correctness': {
      const colorOf = (p: CloudPoint) => {
        const correct = isCorrect(p);
        return correct === null ? UNKNOWN : correct ? CORRECT : INCORRECT;
      };
      const legend = [
        { label: 'correct', color: CORRECT },
        { label: 'incorrect', color: INCORRECT },
      ];
      if (points.some((p) => isCorrect(p) === null)) legend.push({ label: 'unknown', color: UNKNOWN });
      return { colors: fill(points, colorOf), legend };
    }
    case 'dimension':
      return dimensionColors(points, by.name);
  }
}

function dimensionColors(points: readonly CloudPoint[], name: string): PointColors {
  const values = points.map((p) => p.dimensions[name] ?? null);
  const present = values.filter((v): v is string | number => v !== null);
  const hasMissing = present.length < values.length;
  const missing = hasMissing ? [{ label: 'missing', color: UNKNOWN }] : [];
  if (present.length > 0 && present.every((v) => typeof v === 'number')) {
    return numericColors(points, values as (number | null)[], missing);
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b));
  const colorOfCategory = new Map(
    categories.map((c, i) => [
      c,
      categories.length <= MAX_CATEGORIES
        ? schemeCategory10[i]!
        : interpolateCool(categories.length === 1 ? 0 : i / (categories.length - 1)),
    ]),
  );
  const colorOf = (value: Label) => (value === null ? UNKNOWN : colorOfCategory.get(String(value))!);
  const shown =
    categories.length <= MAX_CATEGORIES
      ? categories
      : [categories[0]!, `… ${categories.length - 2} more …`, categories.at(-1)!];
  const legend = shown.map((label, i) => ({
    label,
    color: colorOfCategory.get(label) ?? interpolateCool(i / (shown.length - 1)),
  }));
  return {
    colors: fill(points, (p) => colorOf(p.dimensions[name] ?? null)),
    legend: [...legend, ...missing],
  };
}

/** Phoenix's numeric colouring: 10 equal-width bins from min to max, interpolateCool(i / 10). */
function numericColors(
  points: readonly CloudPoint[],
  values: readonly (number | null)[],
  missing: LegendEntry[],
): PointColors {
  const numbers = values.filter((v): v is number => v !== null);
  const min = numbers.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const max = numbers.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY);
  const width = (max - min) / NUMERIC_BINS;
  const binOf = (v: number) => (width === 0 ? 0 : Math.min(NUMERIC_BINS - 1, Math.floor((v - min) / width)));
  const colors = new Float32Array(points.length * 3);
  values.forEach((v, i) => {
    colors.set(rgb(v === null ? UNKNOWN : interpolateCool(binOf(v) / NUMERIC_BINS)), 3 * i);
  });
  const bins = width === 0 ? 1 : NUMERIC_BINS;
  const legend = Array.from({ length: bins }, (_, i) => ({
    label:
      width === 0
        ? formatNumber(min)
        : `${formatNumber(min + i * width)} – ${formatNumber(min + (i + 1) * width)}`,
    color: interpolateCool(i / NUMERIC_BINS),
  }));
  return { colors, legend: [...legend, ...missing] };
}

const formatNumber = (value: number) => String(Number(value.toPrecision(3)));
