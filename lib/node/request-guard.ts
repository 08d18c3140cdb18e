import 'server-only';
import http from 'node:http';
import { SOCKET_IP_HEADER } from '@/lib/http/client-ip';

/** Methods Next.js cannot turn into a web Request (it would answer 500 with a stack trace in the log). */
const UNSUPPORTED_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

/** True when a request target's path cannot be percent-decoded (Next.js would answer a bare 500). */
function undecodable(url: string | undefined): boolean {
  try {
    decodeURIComponent((url ?? '/').split('?')[0]!);
    return false;
  } catch {
    return true;
  }
}

function refuse(response: http.ServerResponse, status: number, error: string, message: string): void {
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  response.end(JSON.stringify({ error, message }));
}

let installed = false;

/**
 * Runs before Next.js sees a request (installed once at server start, from instrumentation):
 * - stamps it with its socket's address in {@link SOCKET_IP_HEADER}, overwriting any value a client sent, so rate
 *   limits key on an address the client cannot choose;
 * - answers what Next.js would turn into a bare 500: methods it cannot represent (405) and paths whose
 *   percent-encoding is broken (400).
 */
export function installRequestGuard(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      const response = args[1] as http.ServerResponse;
      if (UNSUPPORTED_METHODS.has(request.method ?? '')) {
        refuse(response, 405, 'method_not_allowed', 'Method not allowed.');
        return true;
      }
      if (undecodable(request.url)) {
        refuse(response, 400, 'invalid_request', 'The request path is not valid percent-encoding.');
        return true;
      }
      request.headers[SOCKET_IP_HEADER] = request.socket.remoteAddress ?? 'unknown';
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
