/**
 * A drain answers every request the server has received: one that reached an idle keep-alive
 * connection just before close() began is read and answered (with `Connection: close`), not cut off
 * with the connection.
 */
import { afterEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../test-support/dialects.js';
import { openRawConnection } from '../../test-support/raw-connection.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

const REQUEST = 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n';

describeEachDialect('drain', (dialect) => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('answers a request that reached an idle keep-alive connection as close() began', async () => {
    t = await startTestServer({}, {}, dialect);
    const { socket, closed } = await openRawConnection(t.server.url);
    let read = '';
    socket.on('data', (chunk: string) => {
      read += chunk;
    });
    socket.write(REQUEST);
    await new Promise<void>((done) => {
      const check = () => (read.endsWith('\r\n\r\nOK') ? done() : socket.once('data', check));
      check();
    });
    // The connection is now idle. The next request is in the server's socket buffer, not yet read,
    // when close() starts in the same tick.
    socket.write(REQUEST);
    const closing = t.close();
    t = undefined;
    const text = await closed;
    await closing;
    const answers = text.match(/HTTP\/1\.1 \d{3}/g) ?? [];
    expect(answers).toHaveLength(2);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 (200|503)$/);
    expect(text.slice(text.lastIndexOf('HTTP/1.1'))).toMatch(/connection: close/i);
  });
});
