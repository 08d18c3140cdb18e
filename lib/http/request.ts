import 'server-only';
import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { HttpError } from './errors';
import { getConfig } from '@/lib/config';

/** Request parsing shared by the route handlers: body limits, content type, same-origin checks. */

/** Request bodies over this many bytes are refused with 413. */
export const MAX_BODY_BYTES = 16 * 1024;

function isJsonContentType(value: string | null): boolean {
  return value !== null && /^application\/json\s*(;|$)/i.test(value.trim());
}

/** The body as UTF-8 text, read up to {@link MAX_BODY_BYTES}: 413 past it (declared or streamed), 400 if unreadable. */
export async function readCappedText(request: Request): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > MAX_BODY_BYTES) throw new HttpError('payload_too_large', `The body exceeds ${MAX_BODY_BYTES} bytes.`);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    // A client that hangs up mid-body is a bad request, not a failure of ours (nor of the store).
    const { done, value } = await reader.read().catch(() => {
      throw new HttpError('invalid_request', 'The body could not be read.');
    });
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new HttpError('payload_too_large', `The body exceeds ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError('invalid_request', 'The body is not valid UTF-8.');
  }
}

/**
 * Reads a JSON body and validates it: 415 unless Content-Type is application/json, 413 over {@link MAX_BODY_BYTES},
 * 400 for malformed JSON or a schema failure (naming the first bad field).
 */
export async function readJson<Schema extends z.ZodType>(request: Request, schema: Schema): Promise<z.output<Schema>> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    throw new HttpError('unsupported_media_type', 'Send the body as application/json.');
  }
  const text = await readCappedText(request);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError('invalid_request', 'The body is not valid JSON.');
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : undefined;
    throw new HttpError('invalid_request', issue?.message ?? 'The body is invalid.', field ? { field } : {});
  }
  return result.data;
}

/**
 * For endpoints that take no body (refresh, logout): a body may be absent; when one is sent it must be JSON and small.
 * A non-JSON Content-Type is refused (415), which keeps HTML forms from posting here.
 */
export async function readEmptyJson(request: Request): Promise<void> {
  const type = request.headers.get('content-type');
  if (type !== null && !isJsonContentType(type)) {
    throw new HttpError('unsupported_media_type', 'Send no body, or an application/json one.');
  }
  const text = await readCappedText(request);
  if (text.trim() === '') return;
  if (type === null) throw new HttpError('unsupported_media_type', 'Send no body, or an application/json one.');
  try {
    JSON.parse(text);
  } catch {
    throw new HttpError('invalid_request', 'The body is not valid JSON.');
  }
}

/**
 * Refuses cross-site requests to cookie-authenticated endpoints (403): `Sec-Fetch-Site: cross-site`, or an Origin that
 * is not this app's (APP_ORIGIN, or the request's own). Requests with neither header (curl, server-to-server) pass:
 * they carry no victim's cookie.
 */
export function assertSameOrigin(request: NextRequest): void {
  if (request.headers.get('sec-fetch-site') === 'cross-site') {
    throw new HttpError('forbidden', 'Cross-site requests are not allowed here.');
  }
  const origin = request.headers.get('origin');
  if (origin === null) return;
  const scheme = request.nextUrl.protocol;
  const origins = new Set([request.nextUrl.origin, `${scheme}//${request.headers.get('host')}`]);
  const { APP_ORIGIN: appOrigin } = getConfig();
  if (appOrigin) origins.add(appOrigin);
  const forwardedHost = request.headers.get('x-forwarded-host')?.split(',')[0]?.trim();
  if (getConfig().TRUST_PROXY && forwardedHost) origins.add(`${scheme}//${forwardedHost}`);
  if (!origins.has(origin)) throw new HttpError('forbidden', 'Cross-site requests are not allowed here.');
}

/**
 * The URL a request was made to, as the browser named it (what a DPoP proof's htu must match): APP_ORIGIN when set;
 * else the Host header, over http unless a trusted proxy (TRUST_PROXY) says otherwise in X-Forwarded-Proto and
 * X-Forwarded-Host. A client's own X-Forwarded-* headers are never believed without TRUST_PROXY.
 */
export function requestUrl(request: NextRequest): string {
  const config = getConfig();
  const path = request.nextUrl.pathname;
  if (config.APP_ORIGIN) return config.APP_ORIGIN + path;
  const forwarded = (name: string) =>
    config.TRUST_PROXY ? request.headers.get(name)?.split(',')[0]?.trim() : undefined;
  const proto = forwarded('x-forwarded-proto');
  const scheme = proto === 'https' || proto === 'http' ? proto : 'http';
  const host = forwarded('x-forwarded-host') || request.headers.get('host') || request.nextUrl.host;
  return `${scheme}://${host}${path}`;
}

/**
 * The WebAuthn relying party of a request: the origin browsers use ({@link requestUrl}'s: APP_ORIGIN when set) and its
 * host name as the rpId (`localhost` in development and the tests).
 */
export function relyingParty(request: NextRequest): { id: string; origin: string } {
  const url = new URL(requestUrl(request));
  return { id: url.hostname, origin: url.origin };
}
