import type { LoginReason } from '@/lib/protocol';

/**
 * The app's own words (layout, home, login and the reasons a session ended, dashboard, sessions) in English and
 * Korean. A plain typed dictionary: `Record<Lang, Messages>` makes every language carry every key, so a missing
 * translation fails the type check instead of showing up blank. The live demo's words live beside it, in
 * app/demo/messages.ts. Korean terms follow one word per concept (see the term table in the README).
 */

export type Lang = 'en' | 'ko';

/** The languages offered, in the order the switch shows them. */
export const LANGS: readonly Lang[] = ['en', 'ko'];

/** A plain cookie holding only `en` or `ko`: the reader's explicit choice. Not a token, so scripts may read it. */
export const LANG_COOKIE = 'lang';

/** Narrows a cookie value or attribute to a language this app speaks. */
export function isLang(value: string | undefined | null): value is Lang {
  return value === 'en' || value === 'ko';
}

export interface Messages {
  /** BCP 47 tag for dates and numbers. */
  locale: string;
  languageName: string;
  languageLabel: string;
  appName: string;
  description: string;
  nav: { label: string; dashboard: string; demo: string; sessions: string };
  titles: { login: string; dashboard: string; demo: string; sessions: string };
  restoring: string;
  reconnecting: string;
  signOut: string;

  home: {
    title: string;
    /** The intro paragraph in pieces, so the two token names can be set in bold. */
    intro: { lead: string; accessToken: string; middle: string; refreshToken: string; rest: string };
    points: readonly [string, string, string];
    toDashboard: string;
  };

  login: {
    title: string;
    demoAccount: string;
    modeLabel: string;
    signIn: string;
    register: string;
    username: string;
    password: string;
    signingIn: string;
    registering: string;
    wrongCredentials: string;
    unreachable: string;
  };
  /** Why the login page is shown, in plain words. */
  reasons: Record<LoginReason, string>;

  dashboard: {
    signedInAs: string;
    watchDemo: string;
    tokenHeading: string;
    /** Around the number of seconds left, which is set in bold. */
    expiresIn: { before: string; after: string };
    apiHeading: string;
    callOnce: string;
    calling: string;
    callTwice: string;
    status: string;
    lastOf: (calls: number) => string;
  };

  sessions: {
    title: string;
    intro: string;
    requestFailed: (status: number) => string;
    signedOutDevice: (device: string) => string;
    signedOutOthers: string;
    reconnecting: string;
    active: string;
    loading: string;
    thisSession: string;
    keyBound: string;
    deviceBound: string;
    refused: (count: number, last: string) => string;
    used: (signedIn: string, lastUsed: string) => string;
    signOutEverywhereElse: string;
    signOutEverywhere: string;
  };

  password: {
    title: string;
    current: string;
    next: string;
    changed: string;
    wrongCurrent: string;
    failed: string;
    changing: string;
    submit: string;
  };
}

const en: Messages = {
  locale: 'en',
  languageName: 'English',
  languageLabel: 'Language',
  appName: 'JWT session reference',
  description: 'Short-lived access tokens in memory, rotating refresh tokens in a sealed httpOnly cookie — watched live.',
  nav: { label: 'Main', dashboard: 'Dashboard', demo: 'Live demo', sessions: 'Sessions' },
  titles: { login: 'Sign in', dashboard: 'Dashboard', demo: 'Live demo', sessions: 'Sessions' },
  restoring: 'Restoring your session…',
  reconnecting: 'Reconnecting… your session is kept and the next call will retry.',
  signOut: 'Sign out',

  home: {
    title: 'Watch a JWT session live',
    intro: {
      lead: 'Sign in and this app issues a short-lived ',
      accessToken: 'access token',
      middle: ' (a JWT kept only in this page’s memory) and a long-lived ',
      refreshToken: 'refresh token',
      rest: ' (sealed in an httpOnly cookie no script can read). Every API call is checked for identity and expiry; when the access token expires, the page renews it with the refresh token and retries — you never notice.',
    },
    points: [
      'Refresh tokens rotate on every use; replaying an old one ends the whole session.',
      'Both audiences — this client and the API server — are required on every access token.',
      'Edge middleware keeps signed-out visitors away from protected pages; every API route checks for itself.',
    ],
    toDashboard: 'Go to the dashboard',
  },

  login: {
    title: 'Sign in',
    demoAccount: 'Demo account:',
    modeLabel: 'Sign in or create an account',
    signIn: 'Sign in',
    register: 'Create account',
    username: 'Username',
    password: 'Password',
    signingIn: 'Signing in…',
    registering: 'Creating account…',
    wrongCredentials: 'Wrong username or password.',
    unreachable: 'The server could not be reached. Try again.',
  },
  reasons: {
    signed_out: 'You signed out.',
    expired: 'Your session expired after a period of inactivity. Please sign in again.',
    max_age: 'Your session reached its maximum age. Please sign in again.',
    revoked: 'Your session was revoked from another device.',
    password_changed: 'Your password was changed, so your other sessions were signed out.',
    reused: 'Your session was ended because a stolen or replayed token was detected. Please sign in again.',
    missing: 'Please sign in to continue.',
    invalid: 'Your session is no longer valid. Please sign in again.',
    key_lost:
      "This browser's session key is gone (site data was cleared, or the browser removed it), so the session bound to it has ended. Please sign in again.",
  },

  dashboard: {
    signedInAs: 'Signed in as',
    watchDemo: 'Watch it in the live demo',
    tokenHeading: 'Current access token',
    expiresIn: { before: 'Expires in ', after: ' s' },
    apiHeading: 'Protected API',
    callOnce: 'Call /api/me',
    calling: 'Calling…',
    callTwice: 'Call twice at once',
    status: 'Status',
    lastOf: (calls) => `(last of ${calls} concurrent calls)`,
  },

  sessions: {
    title: 'Sessions',
    intro:
      'Every sign-in is a session. Signing one out stops its refresh at once; an access token it already holds lasts at most until it expires.',
    requestFailed: (status) => `Request failed (${status}).`,
    signedOutDevice: (device) => `Signed out ${device}.`,
    signedOutOthers: 'Signed out every other session.',
    reconnecting: 'Reconnecting…',
    active: 'Active sessions',
    loading: 'Loading…',
    thisSession: 'this session',
    keyBound: 'bound to its browser key',
    deviceBound: 'bound to its device',
    refused: (count, last) =>
      `${count} ${count === 1 ? 'attempt' : 'attempts'} to use this session's cookie without its key refused (last ${last}). The session was not affected.`,
    used: (signedIn, lastUsed) => `Signed in ${signedIn} · last used ${lastUsed}`,
    signOutEverywhereElse: 'Sign out everywhere else',
    signOutEverywhere: 'Sign out everywhere',
  },

  password: {
    title: 'Change password',
    current: 'Current password',
    next: 'New password',
    changed: 'Password changed. Every other session was signed out.',
    wrongCurrent: 'The current password is wrong.',
    failed: 'Could not change it.',
    changing: 'Changing…',
    submit: 'Change password',
  },
};

const ko: Messages = {
  locale: 'ko',
  languageName: '한국어',
  languageLabel: '언어',
  appName: 'JWT 세션 레퍼런스',
  description: '메모리에만 있는 짧은 수명의 액세스 토큰과, 봉인된 httpOnly 쿠키 속에서 교체되는 리프레시 토큰을 실시간으로 봅니다.',
  nav: { label: '주 메뉴', dashboard: '대시보드', demo: '라이브 데모', sessions: '세션' },
  titles: { login: '로그인', dashboard: '대시보드', demo: '라이브 데모', sessions: '세션' },
  restoring: '세션을 복원하는 중…',
  reconnecting: '다시 연결하는 중… 세션은 유지되며 다음 호출에서 다시 시도합니다.',
  signOut: '로그아웃',

  home: {
    title: 'JWT 세션을 실시간으로 보기',
    intro: {
      lead: '로그인하면 이 앱은 수명이 짧은 ',
      accessToken: '액세스 토큰',
      middle: '(이 페이지의 메모리에만 보관되는 JWT)과 수명이 긴 ',
      refreshToken: '리프레시 토큰(refresh token)',
      rest: '(스크립트가 읽을 수 없는 httpOnly 쿠키에 봉인됨)을 발급합니다. 모든 API 호출에서 신원과 만료를 확인합니다. 액세스 토큰이 만료되면 페이지가 리프레시 토큰으로 토큰을 갱신한 뒤 다시 시도하므로 사용자는 알아차리지 못합니다.',
    },
    points: [
      '리프레시 토큰은 사용할 때마다 새 토큰으로 교체되며, 이전 토큰을 재전송하면 세션 전체가 종료됩니다.',
      '모든 액세스 토큰에는 두 수신인(audience), 즉 이 클라이언트와 API 서버가 모두 들어 있어야 합니다.',
      '엣지 미들웨어가 로그인하지 않은 방문자를 보호된 페이지에서 돌려보내고, 모든 API 라우트는 토큰을 직접 확인합니다.',
    ],
    toDashboard: '대시보드로 이동',
  },

  login: {
    title: '로그인',
    demoAccount: '데모 계정:',
    modeLabel: '로그인 또는 계정 만들기',
    signIn: '로그인',
    register: '계정 만들기',
    username: '아이디',
    password: '비밀번호',
    signingIn: '로그인하는 중…',
    registering: '계정을 만드는 중…',
    wrongCredentials: '아이디 또는 비밀번호가 올바르지 않습니다.',
    unreachable: '서버에 연결할 수 없습니다. 다시 시도해 주세요.',
  },
  reasons: {
    signed_out: '로그아웃되었습니다.',
    expired: '한동안 사용하지 않아 세션이 만료되었습니다(유휴 시간 초과). 다시 로그인해 주세요.',
    max_age: '세션이 최대 수명에 도달했습니다. 다시 로그인해 주세요.',
    revoked: '다른 기기에서 세션이 폐기되었습니다.',
    password_changed: '비밀번호가 변경되어 다른 세션은 모두 로그아웃되었습니다.',
    reused: '탈취되었거나 재전송된 토큰이 감지되어 세션이 종료되었습니다. 다시 로그인해 주세요.',
    missing: '계속하려면 로그인해 주세요.',
    invalid: '세션이 더 이상 유효하지 않습니다. 다시 로그인해 주세요.',
    key_lost: '이 브라우저의 세션 키가 사라져(사이트 데이터 삭제 또는 브라우저의 자동 삭제) 이 키에 묶인 세션이 종료되었습니다. 다시 로그인해 주세요.',
  },

  dashboard: {
    signedInAs: '로그인 사용자',
    watchDemo: '라이브 데모에서 보기',
    tokenHeading: '현재 액세스 토큰',
    expiresIn: { before: '만료까지 ', after: '초 남음' },
    apiHeading: '보호된 API',
    callOnce: '/api/me 호출',
    calling: '호출하는 중…',
    callTwice: '동시에 두 번 호출',
    status: '상태',
    lastOf: (calls) => `(동시 호출 ${calls}건 중 마지막)`,
  },

  sessions: {
    title: '세션',
    intro:
      '로그인할 때마다 세션이 하나 생깁니다. 세션을 로그아웃하면 그 세션의 갱신이 즉시 멈춥니다. 이미 발급된 액세스 토큰은 길어야 만료될 때까지만 쓸 수 있습니다.',
    requestFailed: (status) => `요청에 실패했습니다(${status}).`,
    signedOutDevice: (device) => `${device} 세션을 로그아웃했습니다.`,
    signedOutOthers: '다른 세션을 모두 로그아웃했습니다.',
    reconnecting: '다시 연결하는 중…',
    active: '활성 세션',
    loading: '불러오는 중…',
    thisSession: '현재 세션',
    keyBound: '브라우저 키에 묶임',
    deviceBound: '기기에 묶임',
    refused: (count, last) => `키 없이 이 세션의 쿠키를 사용하려는 시도 ${count}건을 거부했습니다(마지막 ${last}). 세션에는 영향이 없습니다.`,
    used: (signedIn, lastUsed) => `로그인 ${signedIn} · 마지막 사용 ${lastUsed}`,
    signOutEverywhereElse: '다른 곳에서 모두 로그아웃',
    signOutEverywhere: '모든 곳에서 로그아웃',
  },

  password: {
    title: '비밀번호 변경',
    current: '현재 비밀번호',
    next: '새 비밀번호',
    changed: '비밀번호가 변경되었습니다. 다른 세션은 모두 로그아웃되었습니다.',
    wrongCurrent: '현재 비밀번호가 올바르지 않습니다.',
    failed: '비밀번호를 변경하지 못했습니다.',
    changing: '변경하는 중…',
    submit: '비밀번호 변경',
  },
};

export const MESSAGES: Record<Lang, Messages> = { en, ko };

/** Whether a `reason` query parameter is one the login page can explain. */
export function isLoginReason(value: string | undefined): value is LoginReason {
  return value !== undefined && Object.hasOwn(en.reasons, value);
}
