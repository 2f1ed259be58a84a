import { sql } from 'kysely';
import type { QueryDialect, Sql } from '../span-query/dialect.js';

/**
 * What a table cell shows of an LLM span without `input.value` / `output.value` (the OpenAI
 * instrumentation records chat messages only): its last user message, and its first output
 * message (or, when that only calls tools, the first call). A message's text is
 * `message.content`, else the first text part of `message.contents` (multimodal messages).
 */
export function lastUserMessage(dialect: QueryDialect, spans = 'spans'): Sql<string | null> {
  const doc = sql.ref(`${spans}.attributes`);
  if (dialect.name === 'postgresql') {
    const messages = sql`(${doc} -> 'llm' -> 'input_messages')`;
    return sql`(select coalesce(
        case when jsonb_typeof(m.value #> '{message,content}') = 'string' then m.value #>> '{message,content}' end,
        case when jsonb_typeof(m.value #> '{message,contents,0,message_content,text}') = 'string'
          then m.value #>> '{message,contents,0,message_content,text}' end)
      from jsonb_array_elements(case when jsonb_typeof(${messages}) = 'array' then ${messages} end)
        with ordinality as m(value, position)
      where m.value #>> '{message,role}' = 'user'
      order by m.position desc limit 1)`;
  }
  return sql`(select coalesce(
      case when json_type(m.value, '$.message.content') = 'text' then json_extract(m.value, '$.message.content') end,
      case when json_type(m.value, '$.message.contents[0].message_content.text') = 'text'
        then json_extract(m.value, '$.message.contents[0].message_content.text') end)
    from json_each(${doc}, '$.llm.input_messages') as m
    where json_type(${doc}, '$.llm.input_messages') = 'array'
      and json_extract(m.value, '$.message.role') = 'user'
    order by m.key desc limit 1)`;
}

export function firstOutputMessage(dialect: QueryDialect, spans = 'spans'): Sql<string | null> {
  const doc = sql.ref(`${spans}.attributes`);
  const at = (...path: (string | number)[]) =>
    dialect.jsonScalar(doc, ['llm', 'output_messages', 0, 'message', ...path], 'string');
  const call = (...path: string[]) => at('tool_calls', 0, 'tool_call', 'function', ...path);
  const toolCall = dialect.concat(
    dialect.concat(call('name'), sql`'('`),
    dialect.concat(sql`coalesce(${call('arguments')}, '')`, sql`')'`),
  );
  return sql`coalesce(${at('content')}, ${at('contents', 0, 'message_content', 'text')}, ${toolCall})`;
}
