/**
 * One session refresh at a time across the app's tabs. The tabs of a browser share the session
 * cookies, and the server rotates the refresh token at every refresh (the old one is refused, and
 * its 401 clears the cookies): two tabs refreshing with the same token at once would log the user
 * out. So a refresh runs under a Web Lock shared by the origin's tabs, and a tab that waited for
 * the lock while another refreshed takes that tab's new cookies instead of refreshing again (a
 * counter in localStorage tells). Without Web Locks (a page served over plain HTTP to a name other
 * than localhost: not a secure context) tabs refresh on their own, as before.
 */
const LOCK = 'fawkes-session-refresh';
const GENERATION = 'fawkes-session-generation';

function generation(): string | null {
  try {
    return window.localStorage.getItem(GENERATION);
  } catch {
    return null;
  }
}

function nextGeneration(): void {
  try {
    window.localStorage.setItem(GENERATION, String(Number(generation() ?? 0) + 1));
  } catch {
    // storage refused (private mode): the lock still keeps refreshes apart
  }
}

export async function refreshAcrossTabs(refresh: () => Promise<boolean>): Promise<boolean> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return refresh();
  const seen = generation();
  return locks.request(LOCK, async () => {
    if (generation() !== seen) return true;
    const refreshed = await refresh();
    if (refreshed) nextGeneration();
    return refreshed;
  });
}
