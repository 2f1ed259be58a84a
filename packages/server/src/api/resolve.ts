import { findProjectById, findProjectByName, type ProjectRow } from '../store/repositories/projects.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';
import { rowIdFromGlobalId } from './global-id.js';

/** A project by GlobalID or name, as Phoenix resolves `project_identifier`; 404 with its text. */
export async function resolveProject(store: ReadStore, identifier: string): Promise<ProjectRow> {
  const rowId = rowIdFromGlobalId(identifier, 'Project');
  if (rowId !== null) {
    const project = await findProjectById(store, rowId);
    if (!project) throw new HttpError(404, `Project with ID ${identifier} not found`);
    return project;
  }
  const project = await findProjectByName(store, identifier);
  if (!project) throw new HttpError(404, `Project with name ${identifier} not found`);
  return project;
}
