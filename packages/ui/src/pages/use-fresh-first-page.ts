import { type InfiniteData, type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';

/**
 * Live updates for a paged table. Scrolled to the top, new rows appear at once: the loaded pages
 * are dropped but the first, which is then refetched. Scrolled down, the rows stay put and a banner
 * offers to show the new ones.
 */
export function useFreshFirstPage(queryKey: QueryKey) {
  const queryClient = useQueryClient();
  const atTop = useRef(true);
  const [pending, setPending] = useState(0);

  const refresh = useCallback(() => {
    setPending(0);
    queryClient.setQueryData<InfiniteData<unknown, unknown>>(queryKey, (data) =>
      data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data,
    );
    void queryClient.invalidateQueries({ queryKey, exact: true });
  }, [queryClient, queryKey]);

  const onChange = useCallback(() => {
    if (atTop.current) refresh();
    else setPending((n) => n + 1);
  }, [refresh]);

  const setAtTop = useCallback((top: boolean) => {
    atTop.current = top;
  }, []);

  return { pending, refresh, onChange, setAtTop };
}
