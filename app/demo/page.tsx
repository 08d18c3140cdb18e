import type { Metadata } from 'next';
import { MESSAGES } from '@/lib/i18n/messages';
import { requestLanguage } from '@/lib/i18n/request-language';
import { connection } from 'next/server';
import { CLOCK_TOLERANCE } from '@/lib/auth/tokens';
import { getConfig } from '@/lib/config';
import Demo from './demo';

export async function generateMetadata(): Promise<Metadata> {
  return { title: MESSAGES[await requestLanguage()].titles.demo };
}

/**
 * Protected by the middleware. Passes the settings the demo explains (read at request time, so DEMO_CONTROLS=false
 * hides the controls); renders no user data on the server — the client fetches it with its token.
 */
export default async function DemoPage() {
  await connection();
  const config = getConfig();
  return (
    <Demo
      settings={{
        demoControls: config.DEMO_CONTROLS,
        maxAccessTtl: config.ACCESS_TOKEN_TTL,
        refreshGrace: config.REFRESH_GRACE_SECONDS,
        stepUpMaxAge: config.STEP_UP_MAX_AGE,
        clockTolerance: CLOCK_TOLERANCE,
      }}
    />
  );
}
