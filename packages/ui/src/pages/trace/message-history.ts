/**
 * A long message history folded: the first and the last messages shown, the ones between hidden
 * behind "show N more". Histories of at most `threshold` messages are shown whole.
 */
export interface FoldedHistory<T> {
  head: T[];
  hidden: T[];
  tail: T[];
}

export function foldHistory<T>(
  messages: readonly T[],
  threshold = 4,
  keepHead = 1,
  keepTail = 1,
): FoldedHistory<T> {
  if (messages.length <= threshold || messages.length <= keepHead + keepTail + 1)
    return { head: [...messages], hidden: [], tail: [] };
  return {
    head: messages.slice(0, keepHead),
    hidden: messages.slice(keepHead, messages.length - keepTail),
    tail: messages.slice(messages.length - keepTail),
  };
}
