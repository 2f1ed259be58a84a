import { type InfiniteData, keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { enc, get } from './client.js';
import type {
  SortOrder,
  UiAnnotationList,
  UiProjectStats,
  UiProjectsResponse,
  UiSession,
  UiSessionPage,
  UiSessionSort,
  UiSpanPage,
  UiSpanSort,
  UiTrace,
} from './types.js';

export interface Range {
  start_time?: string;
  end_time?: string;
}

export const keys = {
  projects: (range: Range) => ['projects', range] as const,
  projectStats: (project: string, range: Range) => ['project-stats', project, range] as const,
  spans: (project: string, params: SpanTableParams) => ['spans', project, params] as const,
  trace: (traceId: string) => ['trace', traceId] as const,
  sessions: (project: string, params: SessionTableParams) => ['sessions', project, params] as const,
  session: (id: string) => ['session', id] as const,
  annotations: (kind: string, target: string) => ['annotations', kind, target] as const,
};

export function useProjects(range: Range) {
  return useQuery({
    queryKey: keys.projects(range),
    queryFn: ({ signal }) => get<UiProjectsResponse>('/v1/ui/projects', { ...range }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useProjectStats(project: string, range: Range) {
  return useQuery({
    queryKey: keys.projectStats(project, range),
    queryFn: ({ signal }) =>
      get<UiProjectStats>(`/v1/ui/projects/${enc(project)}/stats`, { ...range }, signal),
    placeholderData: keepPreviousData,
  });
}

export interface SpanTableParams extends Range {
  root_spans_only: boolean;
  filter: string;
  sort: UiSpanSort;
  order: SortOrder;
}

export const PAGE_SIZE = 200;

export function useSpanPages(project: string, params: SpanTableParams) {
  return useInfiniteQuery<
    UiSpanPage,
    Error,
    InfiniteData<UiSpanPage>,
    ReturnType<typeof keys.spans>,
    string | null
  >({
    queryKey: keys.spans(project, params),
    queryFn: ({ pageParam, signal }) =>
      get<UiSpanPage>(
        `/v1/ui/projects/${enc(project)}/spans`,
        {
          ...params,
          root_spans_only: params.root_spans_only || undefined,
          cursor: pageParam,
          limit: PAGE_SIZE,
        },
        signal,
      ),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
    // Pages are never edited in place: comparing thousands of loaded rows with the new data at each
    // page (structural sharing) would cost a frame or more at the end of a long scroll.
    structuralSharing: false,
  });
}

export interface SessionTableParams extends Range {
  /** The query language over the sessions' root spans ('' for none). */
  filter: string;
  sort: UiSessionSort;
  order: SortOrder;
}

export function useSessionPages(project: string, params: SessionTableParams) {
  return useInfiniteQuery<
    UiSessionPage,
    Error,
    InfiniteData<UiSessionPage>,
    ReturnType<typeof keys.sessions>,
    string | null
  >({
    queryKey: keys.sessions(project, params),
    queryFn: ({ pageParam, signal }) =>
      get<UiSessionPage>(
        `/v1/ui/projects/${enc(project)}/sessions`,
        { ...params, cursor: pageParam, limit: PAGE_SIZE },
        signal,
      ),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor,
    placeholderData: keepPreviousData,
    // Pages are never edited in place: comparing thousands of loaded rows with the new data at each
    // page (structural sharing) would cost a frame or more at the end of a long scroll.
    structuralSharing: false,
  });
}

export function useTrace(traceId: string) {
  return useQuery({
    queryKey: keys.trace(traceId),
    queryFn: ({ signal }) => get<UiTrace>(`/v1/ui/traces/${enc(traceId)}`, undefined, signal),
  });
}

export function useSession(id: string) {
  return useQuery({
    queryKey: keys.session(id),
    queryFn: ({ signal }) => get<UiSession>(`/v1/ui/sessions/${enc(id)}`, undefined, signal),
  });
}

export function useAnnotations(kind: 'span' | 'trace' | 'session', target: string) {
  return useQuery({
    queryKey: keys.annotations(kind, target),
    queryFn: ({ signal }) =>
      get<UiAnnotationList>(`/v1/ui/annotations/${kind}/${enc(target)}`, undefined, signal),
  });
}
