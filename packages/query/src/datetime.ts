/**
 * ISO 8601 dates and date-times in two grammars: the filter language's (parseIsoDatetime, to epoch
 * milliseconds) and the REST API's, which reads what Python's `datetime.fromisoformat` reads
 * (parseDateTime, to epoch microseconds).
 */

const FILTER_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const PYTHON_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?$/;

interface IsoFields {
  year: number;
  /** The date and time of day (without the fraction) read as UTC, in epoch milliseconds. */
  utcMillis: number;
  /** The digits after the seconds' separator ('' when none). */
  fraction: string;
  /** The UTC offset as written (`Z`, `+02:00`, `-0530`…); undefined for a naive time. */
  offset: string | undefined;
}

/** Matches `grammar`; undefined when the text does not, or names a day or time that does not exist. */
function readIsoFields(grammar: RegExp, text: string): IsoFields | undefined {
  const m = grammar.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  // Year 0 does not exist (Python's datetime starts at year 1).
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0 to 99 as 1900 to 1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const utcMillis = date.getTime();
  // 2024-02-31 rolls over into March: such dates do not exist.
  if (date.getUTCDate() !== day) return undefined;
  return { year, utcMillis, fraction, offset };
}

/** The hours, minutes and seconds of a numeric offset (`+HH`, `-HH:MM`, `+HHMMSS`…), signed. */
function offsetParts(offset: string) {
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(/:/g, '');
  return {
    sign,
    hours: Number(digits.slice(0, 2)),
    minutes: Number(digits.slice(2, 4) || '0'),
    seconds: Number(digits.slice(4, 6) || '0'),
  };
}

const isUtc = (offset: string) => offset === 'Z' || offset === 'z';

/**
 * Parses an ISO 8601 date or date-time (`2024-05-01`, `2024-05-01T10:00`, `2024-05-01 10:00:00.123+02:00`)
 * to epoch milliseconds. Without an offset the time is UTC. Digits past milliseconds are truncated.
 * Returns undefined for anything else, including impossible dates (`2024-02-30`).
 */
export function parseIsoDatetime(text: string): number | undefined {
  const fields = readIsoFields(FILTER_DATETIME, text);
  if (!fields) return undefined;
  const millis = Number(fields.fraction.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (fields.offset && !isUtc(fields.offset)) {
    const { sign, hours, minutes } = offsetParts(fields.offset);
    if (hours > 23 || minutes > 59) return undefined;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return fields.utcMillis + millis - offsetMinutes * 60_000;
}

export interface ParsedDateTime {
  /** Microseconds since the Unix epoch (UTC); a time without an offset is taken as UTC. */
  micros: number;
  /** False when the text carried no UTC offset (a "naive" datetime). */
  timezoneAware: boolean;
}

/** Reads `2024-01-01T00:00:00+00:00`, `…Z`, `….123456`, `2024-01-01`; null when it is not ISO 8601. */
export function parseDateTime(text: string): ParsedDateTime | null {
  const fields = readIsoFields(PYTHON_DATETIME, text);
  if (!fields) return null;
  const micros = fields.utcMillis * 1000 + Number(fields.fraction.slice(0, 6).padEnd(6, '0'));
  if (fields.offset === undefined) return { micros, timezoneAware: false };
  if (isUtc(fields.offset)) return { micros, timezoneAware: true };
  const { sign, hours, minutes, seconds } = offsetParts(fields.offset);
  const offsetSeconds = hours * 3600 + minutes * 60 + seconds;
  if (offsetSeconds >= 24 * 3600) return null;
  return { micros: micros - sign * offsetSeconds * 1_000_000, timezoneAware: true };
}

/** Epoch milliseconds of a span time (Date, ISO string or epoch milliseconds), or null. */
export function toEpochMillis(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const parsed = parseIsoDatetime(value);
    if (parsed !== undefined) return parsed;
    const fallback = Date.parse(value);
    return Number.isNaN(fallback) ? null : fallback;
  }
  return null;
}
