import { getConfig } from '@/lib/config';

/**
 * The client's IP address, for per-IP rate limits.
 *
 * Next.js gives route handlers no socket address, and it keeps any X-Forwarded-For a client sends. So unless a trusted
 * proxy is configured (TRUST_PROXY, or on Vercel), X-Forwarded-For is ignored and the address comes from this header,
 * which the server sets from the socket on every request, replacing whatever a client sent (lib/node/socket-ip.ts).
 */
export const SOCKET_IP_HEADER = 'x-jwt-session-socket-ip';

export function clientIp(request: Request): string {
  if (getConfig().trustProxy) {
    const real = request.headers.get('x-real-ip')?.trim();
    if (real) return real;
    // The proxy appends the address it saw: the last entry is the only one it vouches for.
    const forwarded = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  return request.headers.get(SOCKET_IP_HEADER) ?? 'unknown';
}
