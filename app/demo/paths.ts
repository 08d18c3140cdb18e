/** The demo-only endpoints (404 unless the server runs with DEMO_CONTROLS on). */
export const DEMO_API = {
  accessTtl: '/api/demo/access-ttl',
  signInAge: '/api/demo/sign-in-age',
  replay: '/api/demo/replay',
  device: '/api/demo/device',
  otherDevice: '/api/demo/other-device',
  cspReports: '/api/demo/csp-reports',
} as const;
