import { z } from 'zod';

/**
 * The app's configuration, declared once: each environment variable is named in the schema below, with its rule and
 * its default, and {@link Config} is the schema's output. Code reads `getConfig().ACCESS_TOKEN_TTL`, never `process.env`.
 *
 * This is the only module that reads `process.env`. It runs on Node and on the edge runtime, where `process.env` cannot
 * be enumerated, so {@link readEnv} reads every variable by name.
 */

const seconds = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .positive()
    .max(10 * 365 * 86_400)
    .default(fallback);
/** An on/off variable. */
const flag = () =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const privateJwk = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  kid: z.string().min(1).max(128),
  x: z.string().min(1),
  y: z.string().min(1),
  d: z.string().min(1),
});

/** One private signing key from JWT_PRIVATE_KEYS: an EC P-256 JWK with its kid (and any other JWK members). */
export type PrivateJwk = z.infer<typeof privateJwk>;

const privateJwks = z
  .array(privateJwk)
  .min(1)
  .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, { error: 'repeated kid' });

// The shape is judged here, before any key is imported, so that a bad value is named with the other variables;
// whether each key really is a point on P-256 only Web Crypto can tell (lib/auth/keys.ts imports them at start-up).
const privateKeysJson = z.string().transform((json, ctx): PrivateJwk[] => {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: 'is not valid JSON (expected a JSON array of private JWKs; `npm run keygen`)',
    });
    return z.NEVER;
  }
  const result = privateJwks.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a JSON array of private EC P-256 JWKs, each with a distinct kid ' +
        `(${issue?.path.join('.') || 'value'}: ${issue?.message}; \`npm run keygen\` makes one)`,
    });
    return z.NEVER;
  }
  return result.data;
});

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    /** Set by Vercel on its builds and functions: true there. */
    VERCEL: z
      .string()
      .optional()
      .transform((value) => value !== undefined),
    AUTH_SECRET: z
      .string({ error: 'is required (at least 32 characters; e.g. `openssl rand -base64 32`)' })
      .min(32, { error: 'must be at least 32 characters (e.g. `openssl rand -base64 32`)' })
      // Catches placeholders like "aaaa…" or "changemechangeme…"; a generated secret has ~30 distinct characters.
      .refine((secret) => new Set(secret).size >= 12, {
        error: 'looks like a placeholder (too few distinct characters): generate one with `openssl rand -base64 32`',
      }),
    AUTH_ISSUER: z.string().min(1).default('http://localhost:3000'),
    AUTH_CLIENT_ID: z.string().min(1).default('jwt-session-web'),
    AUTH_SERVER_ID: z.string().min(1).default('jwt-session-api'),
    ACCESS_TOKEN_TTL: seconds(120),
    /** Seconds of inactivity after which a refresh session ends. */
    REFRESH_TOKEN_TTL: seconds(7 * 86_400),
    /** Seconds from sign-in after which a refresh session ends whatever its activity. */
    SESSION_MAX_AGE: seconds(30 * 86_400),
    /** Seconds during which the immediate predecessor of a refresh token still yields the same successor. */
    REFRESH_GRACE_SECONDS: z.coerce.number().int().min(0).max(120).default(30),
    JWT_ALG: z.enum(['ES256', 'HS256']).default('ES256'),
    /** The signing keys (the first signs, all verify); undefined when unset. */
    JWT_PRIVATE_KEYS: privateKeysJson.optional(),
    DATABASE_PATH: z.string().min(1).default('data/app.db'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' })
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).optional(),
    /**
     * Milliseconds between two reads of the store's new revocations by one instance (lib/auth/revocations.ts): a
     * revoked session's access tokens are refused everywhere within it. Below 50 the query runs for nothing; above
     * 1000 the one-second promise is broken.
     */
    REVOCATION_POLL_MS: z.coerce
      .number()
      .int()
      .min(50, { error: 'must be at least 50 (milliseconds between two reads of new revocations)' })
      .max(1000, { error: 'must be at most 1000: revoked sessions are refused within this many milliseconds' })
      .default(500),
    /** Which header a trusted reverse proxy puts the client address in; false: none, use the socket's. */
    TRUST_PROXY: z
      .enum(['true', 'false', '1', '0', 'x-forwarded-for', 'x-real-ip'], {
        error: 'must be false, x-forwarded-for (the proxy appends the client address) or x-real-ip (the proxy sets it)',
      })
      .transform((value) => {
        if (value === 'true' || value === '1') return 'x-forwarded-for';
        if (value === 'false' || value === '0') return false;
        return value;
      })
      .optional(),
    /** Seed the demo account (default: on outside production; unset stays undefined until the defaults below). */
    DEMO_ACCOUNT: flag().optional(),
    /** The live demo's controls (default: on outside production). */
    DEMO_CONTROLS: flag().optional(),
    /** Whether every token is bound to the browser's key (RFC 9449 DPoP) or a plain Bearer token. */
    DPOP_MODE: z
      .enum(['required', 'off'], {
        error: "must be required (tokens bound to the browser's key) or off (Bearer tokens)",
      })
      .default('required'),
    /** Seconds a DPoP proof's iat may be away from the server's clock, either way. */
    DPOP_IAT_WINDOW: z.coerce.number().int().min(5).max(600).default(60),
    /** Whether proofs must carry a server nonce (RFC 9449 §8). */
    DPOP_NONCE: flag().default(false),
    /** Where the jti of a proof on an API call is remembered (token endpoints always use the store). */
    DPOP_REPLAY: z
      .enum(['memory', 'store'], { error: 'must be memory (per instance) or store (shared by every instance)' })
      .default('memory'),
    /** Whether sign-ins offer Device Bound Session Credentials (browsers without DBSC ignore the offer). */
    DBSC: flag().default(true),
    /** Seconds a DBSC bound cookie lasts before the browser must prove its device key again. */
    DBSC_COOKIE_TTL: z.coerce.number().int().min(5).max(86_400).default(600),
    /** Seconds after a sign-in (or re-authentication) during which sensitive actions need no new one (RFC 9470). */
    STEP_UP_MAX_AGE: z.coerce.number().int().min(1).max(86_400).default(300),
    /** The origin the app is served from, as browsers see it; undefined: judged per request. */
    APP_ORIGIN: z
      .url({ protocol: /^https?$/, error: 'must be the origin the app is served from, e.g. https://app.example.com' })
      .refine((value) => new URL(value).origin === value.replace(/\/$/, ''), {
        error: 'must be an origin only (scheme, host and port; no path, query or fragment)',
      })
      .transform((value) => new URL(value).origin)
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.ACCESS_TOKEN_TTL >= env.REFRESH_TOKEN_TTL) {
      ctx.addIssue({
        code: 'custom',
        path: ['ACCESS_TOKEN_TTL'],
        message: `must be shorter than REFRESH_TOKEN_TTL (${env.ACCESS_TOKEN_TTL} >= ${env.REFRESH_TOKEN_TTL})`,
      });
    }
    if (env.REFRESH_TOKEN_TTL > env.SESSION_MAX_AGE) {
      ctx.addIssue({
        code: 'custom',
        path: ['REFRESH_TOKEN_TTL'],
        message: `must not exceed SESSION_MAX_AGE (${env.REFRESH_TOKEN_TTL} > ${env.SESSION_MAX_AGE})`,
      });
    }
    if (env.NODE_ENV === 'production' && env.JWT_ALG === 'ES256' && !env.JWT_PRIVATE_KEYS) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_PRIVATE_KEYS'],
        message: 'is required in production with JWT_ALG=ES256 (generate one with `npm run keygen`)',
      });
    }
    if (env.VERCEL && env.DPOP_MODE === 'required' && !env.APP_ORIGIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['APP_ORIGIN'],
        message:
          'is required on Vercel with DPOP_MODE=required: DPoP proofs name the URL the browser used (e.g. https://app.example.com)',
      });
    }
    if (env.VERCEL && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required on Vercel: a file on one instance is not a session store (set a postgres:// URL)',
      });
    }
  })
  // Defaults that depend on another variable.
  .transform((env) => ({
    ...env,
    DEMO_ACCOUNT: env.DEMO_ACCOUNT ?? env.NODE_ENV !== 'production',
    DEMO_CONTROLS: env.DEMO_CONTROLS ?? env.NODE_ENV !== 'production',
    // Vercel's edge network sets X-Real-IP itself, overwriting whatever a client sent.
    TRUST_PROXY: env.TRUST_PROXY ?? (env.VERCEL ? ('x-real-ip' as const) : false),
  }));

/** The validated configuration: one field per environment variable, named as the variable is. */
export type Config = z.output<typeof schema>;

/** Reads every variable the schema declares, by name: the edge runtime cannot enumerate process.env. */
function readEnv(): Record<keyof z.input<typeof schema>, string | undefined> {
  return {
    NODE_ENV: process.env.NODE_ENV,
    VERCEL: process.env.VERCEL,
    AUTH_SECRET: process.env.AUTH_SECRET,
    AUTH_ISSUER: process.env.AUTH_ISSUER,
    AUTH_CLIENT_ID: process.env.AUTH_CLIENT_ID,
    AUTH_SERVER_ID: process.env.AUTH_SERVER_ID,
    ACCESS_TOKEN_TTL: process.env.ACCESS_TOKEN_TTL,
    REFRESH_TOKEN_TTL: process.env.REFRESH_TOKEN_TTL,
    SESSION_MAX_AGE: process.env.SESSION_MAX_AGE,
    REFRESH_GRACE_SECONDS: process.env.REFRESH_GRACE_SECONDS,
    JWT_ALG: process.env.JWT_ALG,
    JWT_PRIVATE_KEYS: process.env.JWT_PRIVATE_KEYS,
    DATABASE_PATH: process.env.DATABASE_PATH,
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX,
    REVOCATION_POLL_MS: process.env.REVOCATION_POLL_MS,
    TRUST_PROXY: process.env.TRUST_PROXY,
    DEMO_ACCOUNT: process.env.DEMO_ACCOUNT,
    DEMO_CONTROLS: process.env.DEMO_CONTROLS,
    DPOP_MODE: process.env.DPOP_MODE,
    DPOP_IAT_WINDOW: process.env.DPOP_IAT_WINDOW,
    DPOP_NONCE: process.env.DPOP_NONCE,
    DPOP_REPLAY: process.env.DPOP_REPLAY,
    DBSC: process.env.DBSC,
    DBSC_COOKIE_TTL: process.env.DBSC_COOKIE_TTL,
    STEP_UP_MAX_AGE: process.env.STEP_UP_MAX_AGE,
    APP_ORIGIN: process.env.APP_ORIGIN,
  };
}

/** Thrown when the environment does not describe a usable configuration; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Parses an environment into a {@link Config}; throws {@link ConfigError} naming each bad variable. An empty variable
 * counts as unset (as in an .env file's `DATABASE_URL=`).
 */
export function parseConfig(raw: Record<string, string | undefined>): Config {
  const set = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const result = schema.safeParse(set);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(env)'} ${issue.message}`);
    throw new ConfigError(`jwt-session-reference: invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use and then reused. Throws {@link ConfigError} while it is invalid. */
export function getConfig(): Config {
  cached ??= parseConfig(readEnv());
  return cached;
}

/**
 * True when the app runs as Vercel functions (VERCEL is set, also during Vercel's build). Readable when the rest of the
 * configuration is not: it decides how a bad configuration is reported.
 */
export function runsOnVercel(): boolean {
  return Boolean(readEnv().VERCEL);
}

// On the global object, not in this module: Next.js gives each route (and instrumentation) its own module instances.
const REPORTED = Symbol.for('jwt-session-reference.config-error-reported');

/**
 * Logs a configuration error once per process (or edge isolate). A serverless instance answers 503 to every request
 * while its configuration is bad; the log says why, once, and the responses say nothing about the configuration.
 */
export function reportConfigError(error: ConfigError): void {
  const flags = globalThis as { [REPORTED]?: boolean };
  if (flags[REPORTED]) return;
  flags[REPORTED] = true;
  console.error(error.message);
}
