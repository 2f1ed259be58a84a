import { at, list, maybeJson, text } from '../../components/attributes.js';

/** A tool offered to the model (`llm.tools.N.tool.json_schema`), read from the usual shapes. */
export interface ToolDefinition {
  name: string | null;
  description: string | null;
  /** The JSON schema of its arguments, when there is one. */
  parameters: unknown;
  /** The definition as sent. */
  schema: unknown;
}

/**
 * `llm.tools`: [{ tool: { json_schema } }], each schema a JSON text (or object) in OpenAI's shape
 * ({ type: 'function', function: { name, description, parameters } }), Anthropic's ({ name,
 * description, input_schema }) or a bare { name, description, parameters }.
 */
export function toolDefinitions(tools: unknown): ToolDefinition[] {
  return list(tools).map((entry) => {
    const schema = maybeJson(at(entry, ['tool', 'json_schema']) ?? at(entry, ['json_schema']) ?? entry);
    const fn = (at(schema, ['function']) ?? schema) as unknown;
    const parameters = maybeJson(at(fn, ['parameters']) ?? at(fn, ['input_schema']));
    return {
      name: text(at(fn, ['name'])),
      description: text(at(fn, ['description'])),
      parameters,
      schema,
    };
  });
}
