import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentTurn, exportSpans } from '../../e2e/sample-traces.js';
import { describeEachDialect } from '../../test-support/dialects.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import type { UiLiveChange } from './wire.js';

/** Reads server-sent events until one named `change` arrives. */
async function nextChange(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<UiLiveChange> {
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended');
    buffer += decoder.decode(value, { stream: true });
    const match = /event: change\ndata: (.*)\n\n/.exec(buffer);
    if (match) return JSON.parse(match[1]!) as UiLiveChange;
  }
}

describeEachDialect('live feed', (dialect) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({}, {}, dialect);
  });
  afterAll(() => t.close());

  it('tells listeners which projects received spans, and how many traces and sessions are new', async () => {
    const response = await fetch(`${t.server.url}/v1/ui/live`);
    const reader = response.body!.getReader();
    await reader.read(); // the greeting: from now on, every change is told
    await exportSpans(
      t.server.url,
      agentTurn({ project: 'live-one', sessionId: 's-1', question: 'q', answer: 'a', startMs: Date.now() }),
    );
    const change = await nextChange(reader);
    expect(change.projects.map((p) => p.name)).toEqual(['live-one']);
    expect(change).toMatchObject({ new_traces: 1, new_sessions: 1, new_spans: 5 });
    // The server closes with the stream still open (the stream ends, nothing hangs).
  });
});
