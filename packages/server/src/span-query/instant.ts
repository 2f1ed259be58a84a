const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** An instant a caller hands in: a Date, an ISO 8601 string (no offset means UTC), or epoch ms. */
export type Instant = Date | string | number;

export class InvalidInstantError extends Error {}

/**
 * The instant in microseconds since the epoch (the store's unit), keeping the microseconds of an
 * ISO string that `Date.parse` would drop. Throws {@link InvalidInstantError} for anything else.
 */
export function microsFromInstant(value: Instant, what = 'time'): number {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isNaN(ms)) return ms * 1000;
  } else if (typeof value === 'number') {
    if (Number.isFinite(value)) return Math.round(value * 1000);
  } else {
    const micros = microsFromIso(value);
    if (micros !== undefined) return micros;
  }
  throw new InvalidInstantError(`Invalid ${what} '${String(value)}': expected an ISO 8601 date-time`);
}

function microsFromIso(text: string): number | undefined {
  const m = ISO_DATETIME.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (offset && offset !== 'Z' && offset !== 'z') {
    const digits = offset.slice(1).replace(':', '');
    const [oh, om] = [Number(digits.slice(0, 2)), Number(digits.slice(2) || '0')];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (offset.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return (utc - offsetMinutes * 60_000) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}
