/** Reading OpenInference attributes (nested, as the server stores them). */

export type Attributes = Record<string, unknown>;

export function at(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

export function text(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A JSON text parsed when it is one (invocation parameters, tool schemas), else the value itself. */
export function maybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return value;
  try {
    return JSON.parse(trimmed);
  } catch {
    return value;
  }
}

export interface ToolCall {
  id: string | null;
  name: string | null;
  arguments: string | null;
}

export interface ChatMessage {
  role: string;
  name: string | null;
  content: string | null;
  /** Multi-part contents: text and image URLs. */
  parts: { type: string; text: string | null; imageUrl: string | null }[];
  toolCalls: ToolCall[];
  toolCallId: string | null;
}

/** `llm.input_messages` / `llm.output_messages`: [{ message: { role, content, contents, tool_calls } }]. */
export function messages(value: unknown): ChatMessage[] {
  return list(value).map((entry) => {
    const m = (at(entry, ['message']) ?? entry) as Attributes;
    return {
      role: text(m.role) ?? 'unknown',
      name: text(m.name),
      content: text(m.content),
      parts: list(m.contents).map((c) => {
        const part = (at(c, ['message_content']) ?? c) as Attributes;
        return {
          type: text(part.type) ?? 'text',
          text: text(part.text),
          imageUrl: text(at(part, ['image', 'image', 'url']) ?? at(part, ['image', 'url'])),
        };
      }),
      toolCalls: list(m.tool_calls).map((t) => {
        const call = (at(t, ['tool_call']) ?? t) as Attributes;
        return {
          id: text(call.id),
          name: text(at(call, ['function', 'name'])),
          arguments: text(at(call, ['function', 'arguments'])),
        };
      }),
      toolCallId: text(m.tool_call_id),
    };
  });
}

export interface Document {
  id: string | null;
  content: string | null;
  score: number | null;
  metadata: unknown;
}

/** `retrieval.documents`, `reranker.*_documents`: [{ document: { id, content, score, metadata } }]. */
export function documents(value: unknown): Document[] {
  return list(value).map((entry) => {
    const d = (at(entry, ['document']) ?? entry) as Attributes;
    return {
      id: text(d.id),
      content: text(d.content),
      score: typeof d.score === 'number' ? d.score : null,
      metadata: maybeJson(d.metadata),
    };
  });
}

/** An event attribute, whether stored nested (`exception: { type }`) or flat (`'exception.type'`). */
export function eventAttribute(attributes: Attributes, dotted: string): string | null {
  return text(attributes[dotted] ?? at(attributes, dotted.split('.')));
}
