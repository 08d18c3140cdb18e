import { NextResponse, type NextRequest } from 'next/server';
import { guardPage } from '@/lib/auth/page-guard';
import { ConfigError, getConfig, reportConfigError } from '@/lib/config';
import { newNonce, pagePolicy, REPORTING_ENDPOINTS } from '@/lib/http/csp';

/**
 * Edge middleware: the page guard (lib/auth/page-guard.ts) on every page request, and every page's
 * Content-Security-Policy with a nonce of its own (lib/http/csp.ts). The guard is a convenience, never the only lock:
 * every API route verifies its token itself.
 */

/**
 * What every page answers while the configuration is bad (possible only on Vercel, where start-up does not exit): a
 * plain 503 page instead of the framework's error page, saying nothing about the configuration (the log names it).
 */
function unavailable(): NextResponse {
  return new NextResponse(
    '<!doctype html><meta charset="utf-8"><title>Service unavailable</title>' +
      '<h1>Service unavailable</h1><p>The service is temporarily unavailable. Please try again later.</p>',
    {
      status: 503,
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '30' },
    },
  );
}

export async function middleware(request: NextRequest) {
  const nonce = newNonce();
  let response: NextResponse;
  let policy: string;
  try {
    // Judged on every page, public ones included, so that a broken deployment says so everywhere alike.
    policy = pagePolicy(nonce, { dev: getConfig().NODE_ENV === 'development' });
    response = await guard(request, policy);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    reportConfigError(error);
    policy = pagePolicy(nonce);
    response = unavailable();
  }
  response.headers.set('Content-Security-Policy', policy);
  response.headers.set('Reporting-Endpoints', REPORTING_ENDPOINTS);
  return response;
}

async function guard(request: NextRequest, policy: string): Promise<NextResponse> {
  const decision = await guardPage({ url: request.nextUrl, cookie: (name) => request.cookies.get(name)?.value });
  if (decision.action === 'redirect') return NextResponse.redirect(decision.location);
  // Next.js reads the nonce from the request's policy and puts it on every script it renders.
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Every page, so a public page pays the same framework cost as a protected one; never API routes or static assets.
  matcher: [
    '/((?!api/|_next/static|_next/image|\\.well-known/|favicon\\.ico|.*\\.(?:png|jpg|svg|ico|css|js|txt|webmanifest)$).*)',
  ],
};
