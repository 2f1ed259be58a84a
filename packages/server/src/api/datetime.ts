/**
 * Instants on the wire: we print them as Python's `datetime.isoformat()` does for UTC (Phoenix's
 * clients compare them as strings) and read ISO 8601 as Python's `datetime.fromisoformat` does.
 */
export { isoFromMicros } from '../ingest/normalize.js';

export interface ParsedDateTime {
  /** Microseconds since the Unix epoch (UTC); a time without an offset is taken as UTC. */
  micros: number;
  /** False when the text carried no UTC offset (a "naive" datetime). */
  timezoneAware: boolean;
}

const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

/** Reads `2024-01-01T00:00:00+00:00`, `…Z`, `….123456`, `2024-01-01`; null when it is not ISO 8601. */
export function parseDateTime(text: string): ParsedDateTime | null {
  const m = ISO_DATETIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 2024-02-31 over into March: such dates do not exist.
  if (new Date(ms).getUTCDate() !== day) return null;
  const micros = ms * 1000 + Number(frac.slice(0, 6).padEnd(6, '0'));
  if (offset === undefined) return { micros, timezoneAware: false };
  if (offset === 'Z' || offset === 'z') return { micros, timezoneAware: true };
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(/:/g, '');
  const offsetSeconds =
    Number(digits.slice(0, 2)) * 3600 +
    Number(digits.slice(2, 4) || '0') * 60 +
    Number(digits.slice(4, 6) || '0');
  if (offsetSeconds >= 24 * 3600) return null;
  return { micros: micros - sign * offsetSeconds * 1_000_000, timezoneAware: true };
}
