import net from 'node:net';

/**
 * Sends raw bytes over TCP (for lies fetch will not tell: a wrong Content-Length, chunked bodies) and returns the
 * status line's code (0 when the server answered nothing before the socket closed or the wait ran out) and the body.
 */
export function rawRequest(
  baseURL: string,
  payload: string,
  { halfClose = false, waitMs = 3000 } = {},
): Promise<{ status: number; raw: string }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname === 'localhost' ? '127.0.0.1' : hostname);
    let data = '';
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const match = /^HTTP\/1\.1 (\d{3})/.exec(data);
      resolve({ status: match ? Number(match[1]) : 0, raw: data });
    };
    const timer = setTimeout(finish, waitMs);
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', finish);
    socket.write(payload, 'latin1');
    if (halfClose) socket.end();
  });
}
