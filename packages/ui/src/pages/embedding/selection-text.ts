import type { CloudPoint, Label } from '../../api/point-cloud.js';

const IMAGE_URL = /^(data:image\/|https?:\/\/\S+\.(png|jpe?g|gif|webp|bmp|svg)(\?\S*)?$)/i;

/** Whether a link points at an image (a gallery then shows the selection). */
export const isImageUrl = (value: string | null): value is string => value !== null && IMAGE_URL.test(value);

export const labelText = (value: Label) => (value === null ? '—' : String(value));

/** Everything the selection panel shows of a point, searched in lower case. */
export function searchableText(point: CloudPoint): string {
  return [
    point.prediction_id,
    point.event_id,
    point.set,
    point.raw_data,
    point.link_to_data,
    point.prediction_label,
    point.actual_label,
    point.prediction_score,
    point.actual_score,
    ...Object.entries(point.dimensions).flat(),
  ]
    .filter((v) => v !== null && v !== undefined)
    .join('\n')
    .toLowerCase();
}

/** The points whose shown text contains every word of the query (case-insensitive). */
export function filterPoints<T extends CloudPoint>(points: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...points];
  return points.filter((p) => {
    const text = searchableText(p);
    return words.every((w) => text.includes(w));
  });
}
