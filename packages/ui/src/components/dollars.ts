const cents = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const small = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });

/** US dollars: cents from a dollar up, three significant digits below (LLM calls cost fractions of a cent). */
export function formatDollars(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  if (n === 0) return '$0';
  return `$${Math.abs(n) >= 1 ? cents.format(n) : small.format(n)}`;
}
