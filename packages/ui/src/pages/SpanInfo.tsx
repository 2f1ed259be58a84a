import { type ReactNode, useState } from 'react';
import type { UiSpanDetail } from '../api/types.js';
import {
  type Attributes,
  at,
  type ChatMessage,
  type Document,
  documents,
  list,
  maybeJson,
  messages,
  text,
} from '../components/attributes.js';
import { formatScore } from '../components/format.js';
import { JsonTree } from '../components/JsonTree.js';
import { CopyButton, copyText } from './trace/CopyButton.js';
import { type ToolDefinition, toolDefinitions } from './trace/llm-tools.js';
import { foldHistory } from './trace/message-history.js';

/** The Info tab of a span: what matters for its kind, in readable form. */
export function SpanInfo({ span }: { span: UiSpanDetail }) {
  const a = span.attributes as Attributes;
  const kind = span.span_kind.toUpperCase();
  return (
    <div className="span-info">
      {kind === 'LLM' && <LlmInfo attributes={a} />}
      {kind === 'RETRIEVER' && (
        <Documents title="Retrieved documents" docs={documents(at(a, ['retrieval', 'documents']))} />
      )}
      {kind === 'RERANKER' && (
        <>
          <KeyValues
            pairs={[
              ['Query', text(at(a, ['reranker', 'query']))],
              ['Model', text(at(a, ['reranker', 'model_name']))],
              ['Top k', text(at(a, ['reranker', 'top_k']))],
            ]}
          />
          <Documents title="Input documents" docs={documents(at(a, ['reranker', 'input_documents']))} />
          <Documents title="Output documents" docs={documents(at(a, ['reranker', 'output_documents']))} />
        </>
      )}
      {kind === 'EMBEDDING' && <Embeddings attributes={a} />}
      {kind === 'TOOL' && (
        <KeyValues
          pairs={[
            ['Tool', text(at(a, ['tool', 'name']))],
            ['Description', text(at(a, ['tool', 'description']))],
          ]}
        >
          {at(a, ['tool', 'parameters']) !== undefined && (
            <Block title="Parameters">
              <JsonTree value={maybeJson(at(a, ['tool', 'parameters']))} />
            </Block>
          )}
        </KeyValues>
      )}
      <IoBlock title="Input" value={at(a, ['input', 'value'])} mime={text(at(a, ['input', 'mime_type']))} />
      <IoBlock
        title="Output"
        value={at(a, ['output', 'value'])}
        mime={text(at(a, ['output', 'mime_type']))}
      />
      {at(a, ['metadata']) !== undefined && (
        <Block title="Metadata">
          <JsonTree value={maybeJson(at(a, ['metadata']))} />
        </Block>
      )}
      {span.status_code === 'ERROR' && span.status_message && (
        <Block title="Status">
          <pre className="error-text">{span.status_message}</pre>
        </Block>
      )}
    </div>
  );
}

function LlmInfo({ attributes: a }: { attributes: Attributes }) {
  const input = messages(at(a, ['llm', 'input_messages']));
  const output = messages(at(a, ['llm', 'output_messages']));
  const template = at(a, ['llm', 'prompt_template']) as Attributes | undefined;
  const tools = toolDefinitions(at(a, ['llm', 'tools']));
  const params = at(a, ['llm', 'invocation_parameters']);
  return (
    <>
      <KeyValues
        pairs={[
          ['Model', text(at(a, ['llm', 'model_name']))],
          ['Provider', text(at(a, ['llm', 'provider']) ?? at(a, ['llm', 'system']))],
          ['Prompt tokens', text(at(a, ['llm', 'token_count', 'prompt']))],
          ['Completion tokens', text(at(a, ['llm', 'token_count', 'completion']))],
        ]}
      />
      {input.length > 0 && (
        <Block title="Input messages">
          <Chat messages={input} />
        </Block>
      )}
      {output.length > 0 && (
        <Block title="Output messages">
          <Chat messages={output} />
        </Block>
      )}
      {template && (
        <Block title="Prompt template">
          {template.version !== undefined && (
            <div className="muted small">version {text(template.version)}</div>
          )}
          <pre className="template">{text(template.template)}</pre>
          {template.variables !== undefined && (
            <>
              <div className="block-subtitle">Variables</div>
              <JsonTree value={maybeJson(template.variables)} />
            </>
          )}
        </Block>
      )}
      {params !== undefined && (
        <Block title="Invocation parameters">
          <JsonTree value={maybeJson(params)} />
        </Block>
      )}
      {tools.length > 0 && (
        <Block title={`Tool definitions (${tools.length})`}>
          <ol className="tool-definitions">
            {tools.map((tool, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: tools are listed as given
              <ToolDefinitionItem key={i} tool={tool} />
            ))}
          </ol>
        </Block>
      )}
    </>
  );
}

function ToolDefinitionItem({ tool }: { tool: ToolDefinition }) {
  return (
    <li className="tool-definition" data-testid="tool-definition">
      <div className="tool-call-head">
        <span aria-hidden="true">⚙</span> <span className="strong">{tool.name ?? 'tool'}</span>
        <CopyButton value={copyText(tool.schema)} label="Copy schema" />
      </div>
      {tool.description && <div className="muted small">{tool.description}</div>}
      {tool.parameters !== undefined && tool.parameters !== null ? (
        <>
          <div className="block-subtitle">Parameters</div>
          <JsonTree value={tool.parameters} openDepth={3} />
        </>
      ) : (
        tool.name === null && <JsonTree value={tool.schema} openDepth={1} />
      )}
    </li>
  );
}

/**
 * Messages as a chat: one bubble per message, by role, with its tool calls. A long history shows
 * its first and last messages, the others behind "Show N more".
 */
export function Chat({ messages }: { messages: ChatMessage[] }) {
  const [expanded, setExpanded] = useState(false);
  const folded = foldHistory(messages);
  if (expanded || folded.hidden.length === 0) return <ChatList messages={messages} first={0} />;
  return (
    <>
      <ChatList messages={folded.head} first={0} />
      <button
        type="button"
        className="button ghost small show-more"
        data-testid="show-more-messages"
        onClick={() => setExpanded(true)}
      >
        Show {folded.hidden.length} more message{folded.hidden.length === 1 ? '' : 's'}
      </button>
      <ChatList messages={folded.tail} first={messages.length - folded.tail.length} />
    </>
  );
}

function ChatList({ messages, first }: { messages: ChatMessage[]; first: number }) {
  return (
    <ol className="chat" start={first + 1}>
      {messages.map((m, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: messages are ordered and never reordered
        <li key={first + i} className={`bubble role-${m.role.toLowerCase()}`} data-testid="chat-message">
          <div className="bubble-role">
            {m.role}
            {m.name && <span className="muted"> · {m.name}</span>}
            {m.toolCallId && <span className="muted"> · reply to {m.toolCallId}</span>}
            {m.content && <CopyButton value={m.content} />}
          </div>
          {m.content && <div className="bubble-text">{m.content}</div>}
          {m.parts.map((part, j) =>
            part.imageUrl ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts are ordered
              <img key={j} className="bubble-image" src={part.imageUrl} alt="message content" />
            ) : part.text ? (
              // biome-ignore lint/suspicious/noArrayIndexKey: parts are ordered
              <div key={j} className="bubble-text">
                {part.text}
              </div>
            ) : null,
          )}
          {m.toolCalls.map((call, j) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: calls are ordered
            <div key={j} className="tool-call" data-testid="tool-call">
              <div className="tool-call-head">
                <span aria-hidden="true">⚙</span> {call.name ?? 'tool call'}
                {call.id && <span className="muted small"> {call.id}</span>}
                {call.arguments && <CopyButton value={call.arguments} label="Copy arguments" />}
              </div>
              {call.arguments && <JsonOrText value={call.arguments} />}
            </div>
          ))}
        </li>
      ))}
    </ol>
  );
}

function Documents({ title, docs }: { title: string; docs: Document[] }) {
  if (docs.length === 0) return null;
  return (
    <Block title={`${title} (${docs.length})`}>
      <ol className="documents">
        {docs.map((doc, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: documents keep their rank
          <li key={i} className="document" data-testid="document">
            <div className="document-head">
              <span className="muted">#{i}</span>
              {doc.id && <span className="code">{doc.id}</span>}
              {doc.score !== null && (
                <span className="score" title="score">
                  score {formatScore(doc.score)}
                </span>
              )}
            </div>
            {doc.content && <div className="document-content">{doc.content}</div>}
            {doc.metadata !== undefined && doc.metadata !== null && (
              <JsonTree value={doc.metadata} openDepth={0} />
            )}
          </li>
        ))}
      </ol>
    </Block>
  );
}

function Embeddings({ attributes: a }: { attributes: Attributes }) {
  const embeddings = list(at(a, ['embedding', 'embeddings']));
  return (
    <Block
      title={`Embeddings (${embeddings.length})${text(at(a, ['embedding', 'model_name'])) ? ` · ${text(at(a, ['embedding', 'model_name']))}` : ''}`}
    >
      <ol className="documents">
        {embeddings.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: embeddings are ordered
          <li key={i} className="document">
            {text(at(e, ['embedding', 'text'])) ?? <span className="muted">(no text)</span>}
          </li>
        ))}
      </ol>
    </Block>
  );
}

function IoBlock({ title, value, mime }: { title: string; value: unknown; mime: string | null }) {
  if (value === undefined || value === null) return null;
  return (
    <Block title={title} aside={mime ?? undefined} copy={copyText(value)}>
      {mime === 'application/json' || typeof value !== 'string' ? (
        <JsonOrText value={value} />
      ) : (
        <pre className="io-text">{value}</pre>
      )}
    </Block>
  );
}

function JsonOrText({ value }: { value: unknown }) {
  const parsed = maybeJson(value);
  return typeof parsed === 'string' ? <pre className="io-text">{parsed}</pre> : <JsonTree value={parsed} />;
}

export function Block({
  title,
  aside,
  copy,
  children,
}: {
  title: string;
  aside?: string;
  /** When given, the block has a button copying this text. */
  copy?: string;
  children: ReactNode;
}) {
  return (
    <section className="block">
      <h3 className="block-title">
        {title}
        {aside && <span className="muted small"> {aside}</span>}
        {copy !== undefined && <CopyButton value={copy} label={`Copy ${title.toLowerCase()}`} />}
      </h3>
      {children}
    </section>
  );
}

function KeyValues({ pairs, children }: { pairs: [string, string | null][]; children?: ReactNode }) {
  const shown = pairs.filter(([, v]) => v !== null);
  if (shown.length === 0 && !children) return null;
  return (
    <>
      {shown.length > 0 && (
        <dl className="key-values">
          {shown.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {children}
    </>
  );
}
