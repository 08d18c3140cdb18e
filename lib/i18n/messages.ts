import type { ErrorCode, LoginReason } from '@/lib/protocol';
import type { Lang } from './lang';

/**
 * The app's own words (layout, home, login and the reasons a session ended, dashboard, sessions, and every error an
 * answer can carry) in English and Korean. English is the reference: `Messages` is its type, and Korean must have the
 * same shape, so a missing translation fails the type check instead of showing up blank. The live demo's words live in
 * app/demo/messages.ts and take the ones it shares with the app from here. Korean terms follow one word per concept
 * (see the term table in the README).
 */

const en = {
  /** BCP 47 tag for dates and numbers. */
  locale: 'en',
  languageName: 'English',
  languageLabel: 'Language',
  appName: 'JWT session reference',
  description:
    'Short-lived access tokens in memory, rotating refresh tokens in a sealed httpOnly cookie — watched live.',
  nav: { label: 'Main', dashboard: 'Dashboard', demo: 'Live demo', sessions: 'Sessions' },
  titles: { login: 'Sign in', dashboard: 'Dashboard', demo: 'Live demo', sessions: 'Sessions' },
  notFound: { title: 'Page not found', body: 'There is no page at this address.', home: 'Go to the home page' },
  restoring: 'Restoring your session…',
  reconnecting: 'Reconnecting… your session is kept and the next call will retry.',
  signOut: 'Sign out',

  home: {
    title: 'Watch a JWT session live',
    /** The intro paragraph in pieces, so the two token names can be set in bold. */
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
    passkeySignIn: 'Sign in with a passkey',
    passkeyRegister: 'Create account with a passkey',
  },
  /** Why the login page is shown, in plain words. */
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
      'This browser can no longer use the key its session was bound to (site data was cleared, or the browser removed it), so the session cannot go on. Please sign in again.',
  } satisfies Record<LoginReason, string>,

  dashboard: {
    signedInAs: 'Signed in as',
    watchDemo: 'Watch it in the live demo',
    tokenHeading: 'Current access token',
    /** Around the number of seconds left, which is set in bold. */
    expiresIn: { before: 'Expires in ', after: ' s' },
    apiHeading: 'Protected API',
    callOnce: 'Call /api/me',
    calling: 'Calling…',
    callTwice: 'Call twice at once',
    status: 'Status',
    lastOf: (calls: number) => `(last of ${calls} concurrent calls)`,
  },

  sessions: {
    title: 'Sessions',
    intro:
      'Every sign-in is a session. Signing one out stops its refresh at once, and every server refuses the access tokens it already holds within a second.',
    signedOutDevice: (device: string) => `Signed out ${device}.`,
    signedOutOthers: 'Signed out every other session.',
    reconnecting: 'Reconnecting…',
    active: 'Active sessions',
    loading: 'Loading…',
    thisSession: 'this session',
    keyBound: 'bound to its browser key',
    deviceBound: 'bound to its device',
    refused: (count: number, last: string) =>
      `${count} ${count === 1 ? 'attempt' : 'attempts'} to use this session's cookie without its key refused (last ${last}). The session was not affected.`,
    used: (signedIn: string, lastUsed: string) => `Signed in ${signedIn} · last used ${lastUsed}`,
    signedInWith: { password: 'Signed in with a password', passkey: 'Signed in with a passkey' },
    signOutEverywhereElse: 'Sign out everywhere else',
    signOutEverywhere: 'Sign out everywhere',
  },

  password: {
    title: 'Change password',
    current: 'Current password',
    next: 'New password',
    changed: 'Password changed. Every other session was signed out.',
    wrongCurrent: 'The current password is wrong.',
    changing: 'Changing…',
    submit: 'Change password',
  },
  passkeys: {
    title: 'Passkeys',
    intro:
      'A passkey signs you in with this device’s screen lock or a security key: nothing to type, and a lookalike site cannot use it — the browser only offers it to this site.',
    none: 'No passkeys yet.',
    add: 'Add a passkey',
    rename: 'Rename',
    delete: 'Delete',
    name: 'Name',
    save: 'Save',
    cancel: 'Cancel',
    synced: 'synced',
    used: (added: string, lastUsed: string | null) =>
      `Added ${added} · ${lastUsed ? `last used ${lastUsed}` : 'not used yet'}`,
    counterRegressed: (at: string) =>
      `A sign-in with this passkey was refused (${at}): its signature counter went backwards, as a copied authenticator’s would.`,
    added: 'Passkey added.',
    renamed: 'Passkey renamed.',
    deleted: 'Passkey deleted.',
    confirmAdd: 'Confirm it’s you to add a passkey',
    confirmDelete: (name: string) => `Confirm it’s you to delete “${name}”`,
    reauthIntro: 'Use your current password or one of your passkeys.',
    currentPassword: 'Current password',
    continue: 'Continue',
    confirmWithPasskey: 'Confirm with a passkey',
    waiting: 'Waiting for your passkey…',
    cancelled: 'Cancelled: nothing was changed.',
    wrongProof: 'That password or passkey is not accepted.',
  },
  /** The dialog that asks for a recent sign-in before a sensitive change (step-up, RFC 9470). */
  stepUp: {
    title: 'Confirm it’s you',
    intro: (minutes: number) =>
      `This change needs a sign-in from the last ${minutes} min. Confirm with your current password or a passkey, and it goes ahead; nothing else about your session changes.`,
  },
  /** Every error code an answer can carry (lib/protocol.ts), and a request that got no answer at all. */
  errors: {
    invalid_credentials: 'Wrong username or password.',
    username_taken: 'That username is taken.',
    missing_token: 'You are not signed in.',
    invalid_token: 'The server refused the access token. Please try again.',
    token_expired: 'The access token expired. Please try again.',
    invalid_grant: 'Your session has ended. Please sign in again.',
    not_found: 'Not found: it may be gone already.',
    rate_limited: 'Too many attempts. Wait a moment and try again.',
    invalid_dpop_proof: 'The server refused this browser’s DPoP proof.',
    use_dpop_nonce: 'The server asked for a proof with its nonce. Please try again.',
    invalid_dbsc_proof: 'The server refused the proof by this device’s key.',
    invalid_challenge: 'The passkey request expired or was already used. Please try again.',
    invalid_passkey: 'The passkey could not be registered.',
    last_passkey:
      'This account has no password: its last passkey is its only way in, so it cannot be deleted. Add another passkey first.',
    insufficient_user_authentication: 'This change needs a recent sign-in. Confirm it’s you, then try again.',
    invalid_request: 'The request was not accepted. Check what you entered.',
    unsupported_media_type: 'The request was not sent as JSON.',
    payload_too_large: 'The request is too large.',
    method_not_allowed: 'The server does not take this request.',
    forbidden: 'Refused: the request came from another site.',
    temporarily_unavailable: 'The service is temporarily unavailable. Try again shortly.',
    server_error: 'Something went wrong on the server. Try again.',
    network: 'The server could not be reached. Try again.',
  } satisfies Record<ErrorCode | 'network', string>,
  /** For invalid_request: the rule of the field the server refused. */
  fields: {
    username: 'A username is 3 to 32 characters: letters, digits, dot, dash and underscore.',
    password: 'A password is 8 to 256 characters.',
    currentPassword: 'Enter your current password.',
    newPassword: 'A password is 8 to 256 characters.',
    name: 'A name is 1 to 64 characters.',
    'reauth.password': 'Enter your current password.',
  },
  /** An answer with no code the app knows. */
  requestFailed: (status: number) => `Request failed (${status}).`,
};

const ko: Messages = {
  locale: 'ko',
  languageName: '한국어',
  languageLabel: '언어',
  appName: 'JWT 세션 레퍼런스',
  description:
    '메모리에만 두는 수명이 짧은 액세스 토큰과, 봉인된 httpOnly 쿠키에 담겨 사용할 때마다 교체되는 리프레시 토큰을 실시간으로 봅니다.',
  nav: { label: '주 메뉴', dashboard: '대시보드', demo: '라이브 데모', sessions: '세션' },
  titles: { login: '로그인', dashboard: '대시보드', demo: '라이브 데모', sessions: '세션' },
  notFound: { title: '페이지를 찾을 수 없습니다', body: '이 주소에는 페이지가 없습니다.', home: '홈으로 가기' },
  restoring: '세션을 복원하는 중…',
  reconnecting: '다시 연결하는 중… 세션은 유지되며 다음 호출에서 다시 시도합니다.',
  signOut: '로그아웃',

  home: {
    title: 'JWT 세션을 실시간으로 보기',
    intro: {
      lead: '로그인하면 이 앱은 수명이 짧은 ',
      accessToken: '액세스 토큰',
      middle: '(이 페이지의 메모리에만 보관되는 JWT)과 수명이 긴 ',
      refreshToken: '리프레시 토큰',
      rest: '(refresh token, 스크립트가 읽을 수 없는 httpOnly 쿠키에 봉인됨)을 발급합니다. 모든 API 호출에서 신원과 만료를 확인합니다. 액세스 토큰이 만료되면 페이지가 리프레시 토큰으로 토큰을 갱신한 뒤 다시 시도하므로 사용자는 알아차리지 못합니다.',
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
    passkeySignIn: '패스키로 로그인',
    passkeyRegister: '패스키로 계정 만들기',
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
    key_lost:
      '세션이 묶여 있던 키를 이 브라우저에서 더 이상 쓸 수 없어 세션을 이어 갈 수 없습니다(사이트 데이터가 삭제되었거나 브라우저가 키를 지웠을 수 있습니다). 다시 로그인해 주세요.',
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
      '로그인할 때마다 세션이 하나 생깁니다. 세션을 로그아웃하면 그 세션의 갱신이 즉시 멈추고, 이미 발급된 액세스 토큰도 모든 서버에서 1초 이내에 거부됩니다.',
    signedOutDevice: (device) => `${device} 세션을 로그아웃했습니다.`,
    signedOutOthers: '다른 세션을 모두 로그아웃했습니다.',
    reconnecting: '다시 연결하는 중…',
    active: '활성 세션',
    loading: '불러오는 중…',
    thisSession: '현재 세션',
    keyBound: '브라우저 키에 묶임(DPoP)',
    deviceBound: '기기 키에 묶임(DBSC)',
    refused: (count, last) =>
      `이 세션의 키 없이 쿠키를 사용하려던 시도 ${count}건을 거부했습니다(마지막 시도: ${last}). 세션은 영향을 받지 않았습니다.`,
    used: (signedIn, lastUsed) => `로그인 ${signedIn} · 마지막 사용 ${lastUsed}`,
    signedInWith: { password: '비밀번호로 로그인함', passkey: '패스키로 로그인함' },
    signOutEverywhereElse: '다른 곳에서 모두 로그아웃',
    signOutEverywhere: '모든 곳에서 로그아웃',
  },

  password: {
    title: '비밀번호 변경',
    current: '현재 비밀번호',
    next: '새 비밀번호',
    changed: '비밀번호가 변경되었습니다. 다른 세션은 모두 로그아웃되었습니다.',
    wrongCurrent: '현재 비밀번호가 올바르지 않습니다.',
    changing: '변경하는 중…',
    submit: '비밀번호 변경',
  },
  passkeys: {
    title: '패스키',
    intro:
      '패스키는 이 기기의 화면 잠금이나 보안 키로 로그인합니다. 입력할 것이 없고, 브라우저가 이 사이트에만 패스키를 내주므로 비슷하게 꾸민 가짜 사이트는 쓸 수 없습니다.',
    none: '아직 패스키가 없습니다.',
    add: '패스키 추가',
    rename: '이름 바꾸기',
    delete: '삭제',
    name: '이름',
    save: '저장',
    cancel: '취소',
    synced: '동기화됨',
    used: (added, lastUsed) => `추가 ${added} · ${lastUsed ? `마지막 사용 ${lastUsed}` : '아직 사용하지 않음'}`,
    counterRegressed: (at) =>
      `이 패스키로 한 로그인을 거부했습니다(${at}). 서명 카운터가 뒤로 갔습니다. 복제된 인증기라면 이렇게 됩니다.`,
    added: '패스키를 추가했습니다.',
    renamed: '패스키 이름을 바꿨습니다.',
    deleted: '패스키를 삭제했습니다.',
    confirmAdd: '패스키를 추가하려면 재인증해 주세요',
    confirmDelete: (name) => `“${name}” 패스키를 삭제하려면 재인증해 주세요`,
    reauthIntro: '현재 비밀번호나 등록한 패스키 중 하나를 사용하세요.',
    currentPassword: '현재 비밀번호',
    continue: '계속',
    confirmWithPasskey: '패스키로 재인증',
    waiting: '패스키를 기다리는 중…',
    cancelled: '취소했습니다. 바뀐 것은 없습니다.',
    wrongProof: '비밀번호나 패스키가 맞지 않습니다.',
  },
  stepUp: {
    title: '본인 확인을 위해 재인증(step-up)해 주세요',
    intro: (minutes) =>
      `이 변경은 최근 ${minutes}분 안에 로그인한 경우에만 할 수 있습니다. 현재 비밀번호나 패스키로 재인증하면 변경이 이어서 진행되며, 세션의 다른 부분은 바뀌지 않습니다.`,
  },
  errors: {
    invalid_credentials: '아이디 또는 비밀번호가 올바르지 않습니다.',
    username_taken: '이미 사용 중인 아이디입니다.',
    missing_token: '로그인되어 있지 않습니다.',
    invalid_token: '서버가 액세스 토큰을 거부했습니다. 다시 시도해 주세요.',
    token_expired: '액세스 토큰이 만료되었습니다. 다시 시도해 주세요.',
    invalid_grant: '세션이 종료되었습니다. 다시 로그인해 주세요.',
    not_found: '찾을 수 없습니다. 이미 없어졌을 수 있습니다.',
    rate_limited: '시도 횟수가 너무 많습니다. 잠시 후 다시 시도해 주세요.',
    invalid_dpop_proof: '서버가 이 브라우저의 DPoP 증명을 거부했습니다.',
    use_dpop_nonce: '서버가 논스(nonce)를 넣은 증명을 요구했습니다. 다시 시도해 주세요.',
    invalid_dbsc_proof: '서버가 이 기기 키로 만든 증명을 거부했습니다.',
    invalid_challenge: '패스키 요청이 만료되었거나 이미 사용되었습니다. 다시 시도해 주세요.',
    invalid_passkey: '패스키를 등록할 수 없습니다.',
    last_passkey:
      '이 계정에는 비밀번호가 없어 마지막 패스키가 유일한 로그인 수단이므로 삭제할 수 없습니다. 먼저 다른 패스키를 추가하세요.',
    insufficient_user_authentication: '최근에 로그인해야 할 수 있는 변경입니다. 재인증한 뒤 다시 시도해 주세요.',
    invalid_request: '요청을 처리할 수 없습니다. 입력한 내용을 확인해 주세요.',
    unsupported_media_type: '요청이 JSON 형식으로 전송되지 않았습니다.',
    payload_too_large: '요청이 너무 큽니다.',
    method_not_allowed: '서버가 받지 않는 요청입니다.',
    forbidden: '거부됨: 다른 사이트에서 온 요청입니다.',
    temporarily_unavailable: '서비스를 일시적으로 사용할 수 없습니다. 잠시 후 다시 시도해 주세요.',
    server_error: '서버에 문제가 생겼습니다. 다시 시도해 주세요.',
    network: '서버에 연결할 수 없습니다. 다시 시도해 주세요.',
  },
  fields: {
    username: '아이디는 3~32자의 영문자, 숫자, 마침표(.), 하이픈(-), 밑줄(_)로 만들어야 합니다.',
    password: '비밀번호는 8~256자여야 합니다.',
    currentPassword: '현재 비밀번호를 입력해 주세요.',
    newPassword: '비밀번호는 8~256자여야 합니다.',
    name: '이름은 1~64자여야 합니다.',
    'reauth.password': '현재 비밀번호를 입력해 주세요.',
  },
  requestFailed: (status) => `요청에 실패했습니다(${status}).`,
};

/** English's shape, which every language's dictionary has. */
export type Messages = typeof en;

/** Every language's dictionary. */
export const MESSAGES: Record<Lang, Messages> = { en, ko };

/** A failed request as the words need it: its answer's code and refused field, and its status (0: no answer came). */
export interface Failure {
  code?: string;
  status: number;
  field?: string;
}

/**
 * The words for a failed request, never the server's English `message`: no answer (status 0) is a network failure;
 * else the rule of the field it refused (invalid_request), else its code's words, else the bare status.
 */
export function failureText(t: Messages, { code, status, field }: Failure): string {
  if (status === 0) return t.errors.network;
  if (code === 'invalid_request' && field && Object.hasOwn(t.fields, field))
    return t.fields[field as keyof Messages['fields']];
  return code && Object.hasOwn(t.errors, code) ? t.errors[code as keyof Messages['errors']] : t.requestFailed(status);
}

/**
 * What to tell the reader about anything a request threw: a Failure (the auth client's SignInError and
 * TransientAuthError are) by its code and status, anything else (fetch's TypeError: no answer) as a network failure.
 */
export function errorText(t: Messages, error: unknown): string {
  const isFailure = typeof error === 'object' && error !== null && typeof (error as Failure).status === 'number';
  return isFailure ? failureText(t, error as Failure) : t.errors.network;
}
