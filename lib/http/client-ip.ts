import 'server-only';
import { getConfig } from '@/lib/config';

/**
 * The client's IP address, for per-IP rate limits.
 *
 * Next.js gives route handlers no socket address, and it keeps any X-Forwarded-For a client sends. So unless a trusted
 * proxy is configured (TRUST_PROXY, or on Vercel), X-Forwarded-For is ignored and the address comes from this header,
 * which the server sets from the socket on every request, replacing whatever a client sent (lib/node/request-guard.ts).
 */
export const SOCKET_IP_HEADER = 'x-jwt-session-socket-ip';

/**
 * The client address to rate-limit by, or null when there is none worth limiting: a loopback socket address means a
 * local client, or a local reverse proxy whose header is not configured (TRUST_PROXY) — then every visitor would share
 * one address, and a per-address limit would let one attacker lock everybody out.
 */
export function rateLimitAddress(request: Request): string | null {
  const address = clientIp(request);
  return /^(127\.|::1$|::ffff:127\.)/.test(address) || address === 'unknown' ? null : address;
}

/**
 * The client's address as far as this server can tell: the configured proxy's header (TRUST_PROXY), else the socket's
 * ('unknown' when neither is there). Loopback included: for limits where a shared address costs nobody access.
 */
export function clientIp(request: Request): string {
  const header = getConfig().TRUST_PROXY;
  // Only the header the configured proxy writes counts: any other one is whatever the client chose to send.
  // X-Forwarded-For: the proxy appends the address it saw, so the last entry is the only one it vouches for.
  const fromProxy =
    header === 'x-real-ip'
      ? request.headers.get('x-real-ip')?.trim()
      : header === 'x-forwarded-for'
        ? request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim()
        : undefined;
  return fromProxy || (request.headers.get(SOCKET_IP_HEADER) ?? 'unknown');
}
