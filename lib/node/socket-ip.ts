import 'server-only';
import http from 'node:http';
import { SOCKET_IP_HEADER } from '@/lib/http/client-ip';

let installed = false;

/**
 * Stamps every incoming request with its socket's address in {@link SOCKET_IP_HEADER}, overwriting any value a client
 * sent, so rate limits can key on an address the client cannot choose. Runs once at server start (instrumentation).
 */
export function installSocketIpHeader(): void {
  if (installed) return;
  installed = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const request = args[0] as http.IncomingMessage;
      request.headers[SOCKET_IP_HEADER] = request.socket.remoteAddress ?? 'unknown';
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
