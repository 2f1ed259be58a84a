import { createServer, type IncomingMessage } from 'node:http';

/** An HTTP front for a server that forwards every request as it is and records the answers' status codes. */
export interface RecordingProxy {
  readonly url: string;
  /** Status codes answered so far, in order. */
  readonly statuses: readonly number[];
  /** Resolves once `predicate` holds for the statuses answered (checked after each answer). */
  until(predicate: (statuses: readonly number[]) => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Hop-by-hop headers, and those that fetch sets itself. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

async function bodyOf(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const statuses: number[] = [];
  const waiters = new Set<{ predicate: (s: readonly number[]) => boolean; resolve: () => void }>();
  const server = createServer(async (request, response) => {
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string' && !NOT_FORWARDED.has(entry[0]),
      ),
    );
    const body = await bodyOf(request);
    const answer = await fetch(new URL(request.url ?? '/', target), {
      method: request.method ?? 'GET',
      headers,
      ...(body.length > 0 ? { body } : {}),
    });
    const payload = Buffer.from(await answer.arrayBuffer());
    response.writeHead(
      answer.status,
      Object.fromEntries([...answer.headers].filter(([name]) => !NOT_FORWARDED.has(name))),
    );
    response.end(payload);
    statuses.push(answer.status);
    for (const waiter of waiters) {
      if (waiter.predicate(statuses)) {
        waiters.delete(waiter);
        waiter.resolve();
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    statuses,
    until: (predicate) =>
      predicate(statuses)
        ? Promise.resolve()
        : new Promise((resolve) => {
            waiters.add({ predicate, resolve });
          }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
