import 'server-only';
import http from 'node:http';
import { SOCKET_IP_HEADER } from '@/lib/http/client-ip';

let installed = false;

/** Methods Next.js cannot turn into a web Request (it would answer 500 with a stack trace in the log). */
const UNSUPPORTED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

/**
 * Stamps every incoming request with its socket's address in {@link SOCKET_IP_HEADER}, overwriting any value a client
 * sent, so rate limits can key on an address the client cannot choose; and answers 405 to the methods Next.js cannot
 * handle, before it sees them. Runs once at server start (instrumentation).
 */
export function installSocketIpHeader(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      if (UNSUPPORTED_METHODS.has(request.method ?? '')) {
        const response = args[1] as http.ServerResponse;
        response.writeHead(405, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        response.end(JSON.stringify({ error: 'method_not_allowed', message: 'Method not allowed.' }));
        return true;
      }
      request.headers[SOCKET_IP_HEADER] = request.socket.remoteAddress ?? 'unknown';
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
