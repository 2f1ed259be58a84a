/** The JSON type of an attribute as the filter bar describes it. */
export type AttributeType = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'mixed';

const MAX_DEPTH = 8;

function typeOf(value: unknown): Exclude<AttributeType, 'mixed'> | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return type;
  return type === 'object' ? 'object' : null;
}

function record(into: Map<string, AttributeType>, key: string, type: AttributeType, limit: number) {
  const seen = into.get(key);
  if (seen === undefined) {
    if (into.size < limit) into.set(key, type);
  } else if (seen !== type) into.set(key, 'mixed');
}

/**
 * Collects the dotted paths of the leaves of nested span attributes into `into` (path → type):
 * `{ llm: { model_name: 'x' } }` gives `llm.model_name` string. Arrays are leaves (their elements
 * are reached with indices, `retrieval.documents[0]`); `metadata` is left out (its keys are not
 * split on dots: see {@link collectMetadataKeys}); a path seen with two types is `mixed`.
 */
export function collectAttributePaths(
  attributes: Record<string, unknown>,
  into: Map<string, AttributeType>,
  limit: number,
): void {
  const walk = (value: unknown, path: string, depth: number) => {
    const type = typeOf(value);
    if (type === null) return;
    if (type === 'object' && depth < MAX_DEPTH) {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (depth === 0 && key === 'metadata') continue;
        walk(child, path === '' ? key : `${path}.${key}`, depth + 1);
      }
      return;
    }
    record(into, path, type, limit);
  };
  walk(attributes, '', 0);
}

/** The first-level keys of `attributes.metadata` (`metadata['user.id']`), with their types. */
export function collectMetadataKeys(
  attributes: Record<string, unknown>,
  into: Map<string, AttributeType>,
  limit: number,
): void {
  const metadata = attributes.metadata;
  if (typeOf(metadata) !== 'object') return;
  for (const [key, value] of Object.entries(metadata as Record<string, unknown>)) {
    const type = typeOf(value);
    if (type !== null) record(into, key, type, limit);
  }
}
