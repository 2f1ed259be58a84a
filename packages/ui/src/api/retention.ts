import { useQuery } from '@tanstack/react-query';
import { enc, get, post, request } from './client.js';

/** GET /v1/projects/{p}/retention_policy: the policy in force, the project's own or the server's. */
export interface RetentionPolicy {
  max_age_days: number | null;
  max_traces: number | null;
  source: 'project' | 'default';
}

const path = (project: string) => `/v1/projects/${enc(project)}/retention_policy`;

export function useRetentionPolicy(project: string) {
  return useQuery({
    queryKey: ['retention-policy', project] as const,
    queryFn: async ({ signal }) =>
      (await get<{ data: RetentionPolicy }>(path(project), undefined, signal)).data,
  });
}

export async function putRetentionPolicy(
  project: string,
  limits: { max_age_days: number | null; max_traces: number | null },
): Promise<RetentionPolicy> {
  return (await request<{ data: RetentionPolicy }>('PUT', path(project), { body: limits })).data;
}

export async function restoreDefaultRetentionPolicy(project: string): Promise<RetentionPolicy> {
  return (await request<{ data: RetentionPolicy }>('DELETE', path(project))).data;
}

/** POST /v1/projects/{p}/traces/delete_older_than: how many traces went. */
export async function deleteTracesOlderThan(project: string, before: string): Promise<number> {
  const answer = await post<{ data: { deleted_traces: number } }>(
    `/v1/projects/${enc(project)}/traces/delete_older_than`,
    { before },
  );
  return answer.data.deleted_traces;
}
