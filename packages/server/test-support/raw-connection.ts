/**
 * A raw TCP connection to a test server, for the tests that speak HTTP/1.1 by hand (slow clients,
 * oversize headers, connection caps): what they read is everything the server sent before it
 * closed the socket.
 */
import { connect, type Socket } from 'node:net';

export interface RawConnection {
  socket: Socket;
  /** Everything read, once the server (or the test) has closed the connection. */
  closed: Promise<string>;
}

export function openRawConnection(url: string): Promise<RawConnection> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    const closed = new Promise<string>((done) => socket.on('close', () => done(text)));
    socket.once('connect', () => {
      // A reset after this shows as what was read before it (checked by the tests), not as a crash.
      socket.off('error', reject).on('error', () => {});
      resolve({ socket, closed });
    });
    socket.once('error', reject);
  });
}
