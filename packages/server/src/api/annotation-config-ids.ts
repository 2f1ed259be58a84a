import {
  type AnnotationConfigRecord,
  CONFIG_NODE_TYPES,
  isAnnotationConfigNodeType,
} from '../model/annotation-config.js';
import {
  findAnnotationConfigById,
  findAnnotationConfigByName,
} from '../store/repositories/annotation-configs.js';
import type { ReadStore } from '../store/repositories/read-store.js';
import { HttpError } from '../util/http-error.js';
import { decodeGlobalId, encodeGlobalId } from './global-id.js';

/** A config's GlobalID: its type name depends on its type (`CategoricalAnnotationConfig:3`). */
export function configGlobalId(config: AnnotationConfigRecord): string {
  return encodeGlobalId(CONFIG_NODE_TYPES[config.config.type], config.id);
}

/** The row id of a config's GlobalID (of any of the three config types), else null. */
export function configRowId(value: string): number | null {
  const decoded = decodeGlobalId(value);
  if (decoded === null || !isAnnotationConfigNodeType(decoded.type)) return null;
  const id = decoded.nodeId.trim();
  if (!/^[+-]?\d+$/.test(id)) return null;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : null;
}

/** Python's repr of a string, as Phoenix's messages quote names. */
function pythonRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text
    .replaceAll('\\', '\\\\')
    .replaceAll(quote, `\\${quote}`)
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
  return `${quote}${escaped}${quote}`;
}

/**
 * A config by GlobalID or name, as Phoenix resolves `config_identifier`: what is not a GlobalID at
 * all is a name; a GlobalID of another type is a 422; no such config a 404.
 */
export async function resolveAnnotationConfig(
  store: ReadStore,
  identifier: string,
): Promise<AnnotationConfigRecord> {
  const decoded = decodeGlobalId(identifier);
  if (decoded === null) {
    const byName = await findAnnotationConfigByName(store, identifier);
    if (!byName) throw new HttpError(404, `AnnotationConfig with name ${pythonRepr(identifier)} not found`);
    return byName;
  }
  const rowId = configRowId(identifier);
  if (rowId === null) throw new HttpError(422, `Invalid AnnotationConfig identifier: ${identifier}`);
  const byId = await findAnnotationConfigById(store, rowId);
  if (!byId) throw new HttpError(404, `AnnotationConfig with ID ${identifier} not found`);
  return byId;
}

/** The config id a page cursor names (400 with Phoenix's text when it names none). */
export function configCursorId(cursor: string | null | undefined): number | null {
  if (cursor === undefined || cursor === null || cursor === '') return null;
  const id = configRowId(cursor);
  if (id === null) throw new HttpError(400, `Invalid cursor: ${cursor}`);
  return id;
}
