import { configViolation } from '../model/annotation-config.js';
import {
  anyAssignedConfigNamed,
  projectConfigsByName,
  projectsOfTargets,
} from '../store/repositories/annotation-configs.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import type { AnnotationInput, AnnotationKind } from '../writer/commands.js';
import type { FastApiErrorItem } from './fastapi-errors.js';

/**
 * Whether annotations follow the configs of their names assigned to their target's project: a
 * categorical annotation's label must be one of the config's values, a continuous one's score
 * within its bounds. One FastAPI-style error per annotation that does not
 * (`["body", "data", <index>, "result", "label" | "score"]`); an empty list when all do. Annotations
 * whose target is not stored yet (accepted without `sync`, applied once it arrives) are not checked.
 */
export async function configProblems(
  store: ReadStore,
  kind: AnnotationKind,
  annotations: readonly AnnotationInput[],
): Promise<FastApiErrorItem[]> {
  const names = [...new Set(annotations.map((a) => a.name))];
  // Most writes name no configured annotation: one indexed lookup, and no target is read.
  if (!(await anyAssignedConfigNamed(store, names))) return [];
  const projects = await projectsOfTargets(
    store,
    kind,
    annotations.map((a) => a.target),
  );
  const configs = await projectConfigsByName(store, [...new Set(projects.values())], names);
  const problems: FastApiErrorItem[] = [];
  annotations.forEach((a, index) => {
    const projectId = projects.get(a.target);
    const config = projectId === undefined ? undefined : configs.get(projectId)?.get(a.name);
    if (!config) return;
    const violation = configViolation(a.name, config.config, { label: a.label, score: a.score });
    if (!violation) return;
    problems.push({
      loc: ['body', 'data', index, 'result', violation.field],
      msg: violation.msg,
      type: violation.type,
      input: violation.field === 'label' ? a.label : a.score,
    });
  });
  return problems;
}
