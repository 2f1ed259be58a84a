export interface Page<T> {
  data: T[];
  next_cursor?: string | null;
}

export interface CollectOptions {
  /** Stop after this many items (undefined: follow every cursor). */
  limit?: number | undefined;
  /** Largest page asked for. */
  pageSize?: number;
}

/**
 * Follows `next_cursor` until `limit` items or the last page (a missing cursor or an empty page).
 * `fetchPage` gets the cursor (undefined first) and the page size to ask for.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | undefined, pageSize: number) => Promise<Page<T>>,
  { limit, pageSize = 100 }: CollectOptions = {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  while (limit === undefined || items.length < limit) {
    const remaining = limit === undefined ? pageSize : Math.min(pageSize, limit - items.length);
    const page = await fetchPage(cursor, remaining);
    items.push(...page.data);
    if (!page.next_cursor || page.data.length === 0) break;
    cursor = page.next_cursor;
  }
  return limit === undefined ? items : items.slice(0, limit);
}
