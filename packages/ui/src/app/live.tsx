import { useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { get } from '../api/client.js';
import type { UiLiveChange } from '../api/types.js';

const FIGURES_INTERVAL_MS = 3_000;

/** Calls `fn` at once, then at most once per `ms` (a call in between runs when the time is up). */
function throttle(fn: () => void, ms: number): (() => void) & { cancel(): void } {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    fn();
  };
  const throttled = () => {
    if (timer) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  throttled.cancel = () => clearTimeout(timer);
  return throttled;
}

export type LiveStatus = 'connecting' | 'live' | 'offline';

type Listener = (change: UiLiveChange) => void;

interface LiveContextValue {
  status: LiveStatus;
  subscribe(listener: Listener): () => void;
}

const LiveContext = createContext<LiveContextValue>({ status: 'offline', subscribe: () => () => {} });

/**
 * Listens to the server's live feed (`/v1/ui/live`, server-sent events) and keeps what is on screen
 * fresh: figures and detail pages are refetched; tables decide for themselves (see useLiveRows), so
 * that rows never jump under a reader's eyes.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [listeners] = useState(() => new Set<Listener>());

  useEffect(() => {
    // Figures aggregate over every span of a project: while data streams in, refresh them at most
    // every few seconds (the last change is always shown).
    const changedProjects = new Set<string>();
    const refreshFigures = throttle(() => {
      void queryClient.invalidateQueries({ queryKey: ['projects'] });
      for (const name of changedProjects)
        void queryClient.invalidateQueries({ queryKey: ['project-stats', name] });
      changedProjects.clear();
    }, FIGURES_INTERVAL_MS);
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let disposed = false;
    let opened = false;
    let failures = 0;
    const onChange = (event: Event) => {
      const change = JSON.parse((event as MessageEvent<string>).data) as UiLiveChange;
      for (const project of change.projects) changedProjects.add(project.name);
      refreshFigures();
      if (change.new_spans > 0) void queryClient.invalidateQueries({ queryKey: ['trace'] });
      if (change.new_spans > 0 || change.structure_changed) {
        void queryClient.invalidateQueries({ queryKey: ['session'] });
      }
      if (change.structure_changed) void queryClient.invalidateQueries({ queryKey: ['annotations'] });
      for (const listener of listeners) listener(change);
    };
    /**
     * The browser reconnects a dropped stream by itself, but gives up for good on an answer other
     * than 200: with authentication on, the 401 of an access token that ran out while the stream was
     * down (a restart, the network). Then a request through the fetch layer refreshes the session
     * (or goes to the login page when it has ended), and the stream is opened again; while the
     * server cannot be reached, a little later each time.
     */
    const reopen = async () => {
      try {
        await get('/v1/user');
        failures = 0;
      } catch {
        failures++;
      }
      if (disposed) return;
      retry = setTimeout(connect, failures === 0 ? 0 : Math.min(30_000, 1_000 * 2 ** failures));
    };
    const connect = () => {
      source = new EventSource('/v1/ui/live');
      const current = source;
      current.onopen = () => {
        setStatus('live');
        // Back after a lost connection: whatever happened meanwhile was not told, so refresh all.
        if (opened) {
          void queryClient.invalidateQueries();
          const everything: UiLiveChange = {
            projects: [],
            new_traces: 0,
            new_sessions: 0,
            new_spans: 0,
            structure_changed: true,
          };
          for (const listener of listeners) listener(everything);
        }
        opened = true;
      };
      current.onerror = () => {
        if (current.readyState !== EventSource.CLOSED) {
          setStatus('connecting');
          return;
        }
        setStatus('offline');
        current.close();
        if (!disposed) void reopen();
      };
      current.addEventListener('change', onChange);
    };
    connect();
    return () => {
      disposed = true;
      clearTimeout(retry);
      source?.close();
      refreshFigures.cancel();
    };
  }, [queryClient, listeners]);

  const value = useMemo<LiveContextValue>(
    () => ({
      status,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    }),
    [status, listeners],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}

/** Calls `onChange` for live changes that touch `project` (by name). */
export function useLiveProject(project: string, onChange: (change: UiLiveChange) => void): void {
  const { subscribe } = useLive();
  useEffect(
    () =>
      subscribe((change) => {
        if (change.structure_changed || change.projects.some((p) => p.name === project)) onChange(change);
      }),
    [subscribe, project, onChange],
  );
}
