import { describe, expect, it } from 'vitest';
import { collectPages, type Page } from './pagination.js';

/** A server holding `total` numbered items, answering pages of at most `pageSize` (its own cap 3). */
function pagedItems(total: number) {
  const asked: { cursor: string | undefined; pageSize: number }[] = [];
  const fetchPage = async (cursor: string | undefined, pageSize: number): Promise<Page<number>> => {
    asked.push({ cursor, pageSize });
    const from = cursor ? Number(cursor) : 0;
    const size = Math.min(pageSize, 3);
    const data = Array.from({ length: Math.max(0, Math.min(size, total - from)) }, (_, i) => from + i);
    return { data, next_cursor: from + size < total ? String(from + size) : null };
  };
  return { asked, fetchPage };
}

describe('collectPages', () => {
  it('follows cursors to the end without a limit', async () => {
    const { asked, fetchPage } = pagedItems(7);
    expect(await collectPages(fetchPage)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(asked.map((a) => a.cursor)).toEqual([undefined, '3', '6']);
  });

  it('stops at the limit and asks for no more than it needs', async () => {
    const { asked, fetchPage } = pagedItems(100);
    expect(await collectPages(fetchPage, { limit: 5, pageSize: 4 })).toEqual([0, 1, 2, 3, 4]);
    expect(asked).toEqual([
      { cursor: undefined, pageSize: 4 },
      { cursor: '3', pageSize: 2 },
    ]);
  });

  it('stops on an empty page even when the server sends a cursor', async () => {
    let calls = 0;
    const items = await collectPages(async () => {
      calls++;
      return { data: [], next_cursor: 'again' };
    });
    expect([items, calls]).toEqual([[], 1]);
  });
});
