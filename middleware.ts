import { NextResponse, type NextRequest } from 'next/server';
import { guardPage } from '@/lib/auth/page-guard';
import { ConfigError, getConfig, reportConfigError } from '@/lib/config';

/**
 * Edge middleware: the page guard (lib/auth/page-guard.ts) on every page request. A convenience, never the only lock:
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
  try {
    // Judged on every page, public ones included, so that a broken deployment says so everywhere alike.
    getConfig();
    return await guard(request);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    reportConfigError(error);
    return unavailable();
  }
}

async function guard(request: NextRequest): Promise<NextResponse> {
  const decision = await guardPage({ url: request.nextUrl, cookie: (name) => request.cookies.get(name)?.value });
  return decision.action === 'redirect' ? NextResponse.redirect(decision.location) : NextResponse.next();
}

export const config = {
  // Every page, so a public page pays the same framework cost as a protected one; never API routes or static assets.
  matcher: [
    '/((?!api/|_next/static|_next/image|\\.well-known/|favicon\\.ico|.*\\.(?:png|jpg|svg|ico|css|js|txt|webmanifest)$).*)',
  ],
};
