import type { Lang } from '@/lib/i18n/lang';
import { MESSAGES, type Messages } from '@/lib/i18n/messages';

/**
 * The live demo's words in English and Korean (the app's own words are in lib/i18n/messages.ts, and the few both
 * spell are taken from there). English is the reference: `DemoMessages` is its type, and Korean must have the same
 * shape, so a missing translation fails the type check instead of showing up blank.
 */

/** What an arrow (or note) in the sequence diagram says. */
export type ArrowLabel =
  | 'tokenRequest'
  | 'tokenIssued'
  | 'signInRefused'
  | 'passkeyOptions'
  | 'passkeyChallenge'
  | 'passkeyAssertion'
  | 'checkAssertion'
  | 'apiCall'
  | 'retryCall'
  | 'checkIdExp'
  | 'checkProofIdExp'
  | 'checkSessionKey'
  | 'checkProofBind'
  | 'otherDeviceCheck'
  | 'result'
  | 'resultNewExp'
  | 'expiredError'
  | 'apiRefused'
  | 'renewalRequest'
  | 'earlyRenewalRequest'
  | 'renewedToken'
  | 'peerToken'
  | 'renewalRefused'
  | 'logoutRequest'
  | 'reauthOptions'
  | 'reauthChallenge'
  | 'reauthRequest'
  | 'reauthIssued'
  | 'reauthRefused'
  | 'stepUpRequired'
  | 'signInAgeRequest'
  | 'loggedOut'
  | 'lifetimeRequest'
  | 'replayRequest'
  | 'otherDeviceRequest'
  | 'foreignProofCall'
  | 'bearerCall'
  | 'proofRefused'
  | 'keyRefused'
  | 'notKeyBound'
  | 'reuseDetected'
  | 'graceWindow'
  | 'noPrevious'
  | 'demoOff'
  | 'failed'
  | 'noAnswer'
  | 'dbscRegistered'
  | 'dbscRefreshed'
  | 'dbscEnded'
  | 'dbscRefused';

export type ClaimName =
  'iss' | 'sub' | 'aud' | 'client_id' | 'exp' | 'nbf' | 'iat' | 'jti' | 'sid' | 'amr' | 'auth_time' | 'cnf';
export type HeaderName = 'alg' | 'typ' | 'kid';

/** "2 d 3 h", "4 min 5 s", "2 min": the two largest units of a number of seconds (a zero second unit left out). */
function twoUnits(seconds: number, [day, hour, minute, second]: [string, string, string, string], gap: string): string {
  const parts: [number, string][] = [
    [Math.floor(seconds / 86_400), day],
    [Math.floor((seconds % 86_400) / 3600), hour],
    [Math.floor((seconds % 3600) / 60), minute],
    [seconds % 60, second],
  ];
  const largest = parts.findIndex(([value]) => value > 0);
  return parts
    .slice(largest === -1 ? parts.length - 1 : largest, largest === -1 ? parts.length : largest + 2)
    .filter(([value], index) => index === 0 || value > 0)
    .map(([value, unit]) => `${value}${gap}${unit}`)
    .join(' ');
}

/** The words the demo shares with the app's pages, written once in the app's dictionary. */
const fromApp = ({ locale, restoring, reconnecting, signOut, dashboard }: Messages) => ({
  /** BCP 47 tag for dates and numbers. */
  locale,
  restoring,
  reconnecting,
  signedInAs: dashboard.signedInAs,
  signOut,
});

const en = {
  ...fromApp(MESSAGES.en),
  title: 'Live demo: a JWT session, as it happens',
  intro:
    'Every arrow below is a real request this page just made. The access token lives only in this page’s memory and expires quickly; the refresh token sits in an httpOnly cookie that no script can read. Both are bound to a key this browser holds but cannot export (DPoP), so a copy of either is useless elsewhere. Use the controls to see each branch without waiting.',
  duration: (s: number) => twoUnits(s, ['d', 'h', 'min', 's'], ' '),

  diagram: {
    title: 'Sequence diagram',
    hint: 'Newest at the bottom. Select an arrow for the request and response details.',
    client: 'Client (this page)',
    server: 'Server',
    empty: 'No requests yet. Call the API to draw the first arrows.',
    clear: 'Clear',
    retry: 'retry',
    refreshCookie: 'refresh-token cookie',
    request: 'Request',
    status: 'Status',
    took: 'Took',
    sentAccess: 'Access token sent',
    sentRefresh: 'Refresh token sent',
    received: 'Access token received',
    error: 'Error',
    none: 'none',
    cookieSent: 'yes — the browser attaches the httpOnly cookie itself; this page cannot read it',
    cookieIgnored:
      'the cookie rides along (Path=/ lets the edge middleware guard pages), but the API ignores it: only the access token counts',
    cookieSetByAnswer: 'none yet — the answer sets it in an httpOnly cookie',
    cookieReplayed:
      'the server presents this session’s previous, already-rotated refresh token (the page never sees it)',
    cookieOtherDevice:
      'yes — and the server presents it as another device would, with a proof by a key of its own (the page never sees the cookie)',
    tab: 'Tab',
    fingerprintNote: 'Tokens are shown as fingerprints: the first 8 hex digits of their SHA-256.',
    proof: 'DPoP proof',
    proofKey: 'Proof key (thumbprint)',
    serverCheck: 'Server’s check',
    checkOk: 'ok',
    checkRefused: (code: string) => `refused: ${code}`,
    proofNote:
      'Each DPoP proof is shown by the start of its jti, the method and path it was made for, and its ath: the SHA-256 of the token it carries, written like the fingerprints, so it matches the token’s.',
    browser: 'Browser (DBSC)',
    reportedByServer: 'reported by the server',
    notSeenByPage: 'sent by the browser itself; this page cannot see it',
    dbscNote:
      'Dotted arrows marked “reported by the server” are requests the browser makes by itself for Device Bound Session Credentials (DBSC), which no page can observe: the server records them, and the demo asks it for them every 5 s. Their times are the server’s.',
  },
  arrow: {
    tokenRequest: 'token request (username + password)',
    tokenIssued: 'token issued',
    signInRefused: 'sign-in refused',
    passkeyOptions: 'passkey sign-in: ask for options',
    passkeyChallenge: 'options: a one-time challenge (5 min) and the rpId',
    passkeyAssertion: 'the authenticator’s signed assertion (challenge, origin, rpId hash, user verified) + DPoP proof',
    checkAssertion:
      'check the assertion (origin, rpId, UV, challenge, signature, counter), bind the session to the proof’s key',
    apiCall: 'API call with the access token',
    retryCall: 'retry with the new token',
    checkIdExp: 'check ID and exp',
    checkProofIdExp: 'check the proof (key = cnf.jkt, htm htu, ath, new jti), then ID and exp',
    checkSessionKey: 'check the proof: signed by the session’s key?',
    checkProofBind: 'check the proof, bind the session to its key',
    otherDeviceCheck: 'server: the cookie, with a proof by a fresh key, through the refresh checks',
    result: 'result',
    resultNewExp: 'result + new exp',
    expiredError: 'expired error',
    apiRefused: 'token refused',
    renewalRequest: 'renewal request with refresh token',
    earlyRenewalRequest: 'renewal request with refresh token, sent before the page was interactive',
    renewedToken: 'renewed token',
    peerToken: 'renewed token, handed over by another tab',
    renewalRefused: 'renewal refused',
    logoutRequest: 'sign-out request',
    loggedOut: 'session revoked, cookie cleared',
    reauthOptions: 're-authentication: ask for options (refresh cookie + DPoP proof)',
    reauthChallenge: 'options: password, or a passkey challenge bound to this session',
    reauthRequest: 're-authentication (password or passkey) + refresh cookie + DPoP proof',
    reauthIssued: 'new access token for the same session: fresh auth_time, nothing rotated',
    reauthRefused: 're-authentication refused',
    stepUpRequired: '401 insufficient_user_authentication: the sign-in is too old for this change',
    signInAgeRequest: 'demo: make this session’s sign-in older than the step-up limit',
    lifetimeRequest: 'demo: token request with a shorter lifetime',
    replayRequest: 'demo: renewal request with an OLD refresh token',
    otherDeviceRequest: 'demo: my refresh cookie, used from another device',
    foreignProofCall: 'demo: API call with a copied access token, proof by another key',
    bearerCall: 'demo: API call with a copied access token, as a Bearer token',
    proofRefused: 'DPoP proof refused',
    keyRefused: 'refused: not signed by the session’s key',
    notKeyBound: 'not tried: the session is bound to no key',
    reuseDetected: 'reuse detected: session revoked',
    graceWindow: 'refused: old token still in its grace window',
    noPrevious: 'refused: no old token yet',
    demoOff: 'demo controls are turned off',
    failed: 'request failed',
    noAnswer: 'no answer (network)',
    dbscRegistered: 'browser (DBSC) → registers its device key: bound cookie issued',
    dbscRefreshed: 'browser (DBSC) → proves its device key: bound cookie renewed',
    dbscEnded: 'browser (DBSC) → renewal: the session is over, DBSC session ended',
    dbscRefused: 'browser (DBSC) → proof by the device key refused',
  } satisfies Record<ArrowLabel, string>,

  inspector: {
    title: 'Token inspector',
    noToken: 'No access token in memory right now.',
    header: 'Header',
    claims: 'Claims',
    meanings: 'What each field means',
    headerMeaning: {
      alg: 'signature algorithm, pinned by the server (ES256 = ECDSA P-256 with SHA-256)',
      typ: 'token type “at+jwt”: an access token, so it can never pass as a refresh token',
      kid: 'key ID: which of the server’s signing keys made it (allows key rotation)',
    } satisfies Record<HeaderName, string>,
    claimMeaning: {
      iss: 'issuer: the server that signed this token',
      sub: 'subject: the user ID the token speaks for',
      aud: 'audience = [client ID, server ID]: meant for this web client AND this API; the server refuses a token missing either, so a token minted for another app or API cannot be used here',
      client_id: 'the client the token was issued to',
      exp: 'expiry: after this moment the server answers “expired error”',
      nbf: 'not before: the token is not valid until this moment',
      iat: 'issued at: when the server signed it',
      jti: 'JWT ID: unique per token, so each one can be told apart',
      sid: 'session ID: the sign-in (refresh session) this token belongs to',
      amr: 'how the session signed in (RFC 8176): ["pwd"] a password; ["hwk", "user"] a passkey kept in one device’s hardware, ["swk", "user"] a synced passkey — both with user verification',
      auth_time: 'when the session signed in; every refresh keeps it, so an API can ask for a recent sign-in',
      cnf: 'confirmation: cnf.jkt is the thumbprint (RFC 7638) of this browser’s key; the server accepts the token only with a proof signed by that key',
    } satisfies Record<ClaimName, string>,
    expiresIn: (s: number) => `expires in ${s} s`,
    expiredAgo: (s: number) => `expired ${s} s ago`,
    leeway: (s: number) =>
      `The server allows ${s} s of clock skew, so a call still succeeds until exp + ${s} s; after that the next call gets “expired error”, renews and retries.`,
    notBeforeIn: (s: number) => `valid in ${s} s`,
    validSince: (time: string) => `valid since ${time}`,
    lifetime: (s: number) => `lifetime ${s} s`,
    expiryBar: 'Time left until exp',
    notBeforeBar: 'Time left until nbf',
    refreshTitle: 'Refresh token',
    refreshSeen: 'What this page can see of it',
    refreshNothing: 'nothing (httpOnly cookie)',
    refreshInvisible:
      'It is sealed (encrypted) in a cookie that the browser sends with requests to this site by itself and never shows to scripts, so code injected into the page cannot steal it.',
    documentCookie: 'document.cookie here',
    refreshLifetime: (time: string, left: string) =>
      `Lifetime reported by the server: until ${time} (${left}), renewed by each refresh.`,
    refreshRotates: (grace: number) =>
      `It rotates on every use. The one it replaced still works for ${grace} s (grace window); after that, presenting it again ends the whole session.`,
    encoded: 'Encoded, as sent',
    encodedNote: 'Copy it if you like: without this browser’s key the API refuses it.',
    passkeyOrigin:
      'Signed in with a passkey. A lookalike site cannot use it: the browser writes the page’s real origin into what the passkey signs and only offers a site its own passkeys, and the server refuses an assertion made for any other origin or rpId.',
    keyTitle: 'This browser’s key (DPoP)',
    keyIntro:
      'Made at sign-in and kept in IndexedDB. No script can read its private half, this page included: it can only be asked to sign. Every request that uses a token or the refresh cookie carries a proof it signed.',
    tokenJkt: 'from the access token: the key it is bound to',
    thumbprint: 'thumbprint',
    pageThumbprint:
      'thumbprint of this browser’s public key, computed here (RFC 7638: SHA-256 of its JWK’s crv, kty, x, y)',
    keyMatch: 'match: the token is bound to this browser’s key',
    keyMismatch: 'no match: the token is bound to another key',
    noKey: 'No key in this browser.',
    unbound: 'This token is bound to no key (the server runs with DPOP_MODE=off).',
    privateKey: 'private key',
    tryExport: 'Try to export the private key',
    exportRefused: (error: string) => `Refused by the browser: ${error}. Not even this page can read it.`,
    exported: 'Exported: this key is extractable, which it must never be.',
    dbscTitle: 'This device (DBSC)',
    dbscIntro:
      'On browsers with Device Bound Session Credentials, the refresh session is also bound to a key in this device’s hardware: the browser registers the key and gets a short-lived bound cookie, then proves the key again to renew the cookie before it expires. It does all this by itself, in requests this page cannot see; what follows is what the server recorded.',
    dbscAsking: 'Asking the server…',
    dbscNotOffered: 'Not offered: the server runs with DBSC=off.',
    dbscNotRegistered:
      'Not device-bound: this browser did not register a device key (no DBSC support, or not over HTTPS).',
    dbscBound: 'Device-bound: the refresh session is bound to this device’s key (DBSC).',
    dbscRenewsIn: (left: string, time: string) => `Next renewal of the bound cookie: ${time} (in ${left}).`,
    dbscRenewalDue: (time: string) =>
      `Next renewal of the bound cookie: due since ${time}; the browser renews it with its next request to this site.`,
    boundCookieExpires: (time: string) =>
      `The bound cookie expires at ${time}: until then, and no longer, a copy of it works without this device.`,
  },

  stepUp: {
    title: 'Step-up (RFC 9470)',
    hint: (minutes: number) =>
      `A sensitive change needs a sign-in from the last ${minutes} min. Make this session’s sign-in old, then sign out your other sessions: the server answers 401 insufficient_user_authentication, the page asks you to confirm it’s you, and sends the change again.`,
    age: 'Make my sign-in old',
    aged: (time: string) => `The session’s sign-in now dates from ${time} (auth_time).`,
    sensitive: 'Sign out my other sessions',
    done: 'Done: you re-authenticated and the other sessions are signed out.',
    cancelled: 'Not re-authenticated: nothing changed.',
  },
  controls: {
    title: 'Controls',
    badge: 'Demo only',
    off: 'Demo controls are turned off on this server (DEMO_CONTROLS=false).',
    lifetimeLabel: 'Access-token lifetime for this session',
    lifetimeHint: (max: number) => `The server clamps it to its configured maximum (${max} s).`,
    lifetimeSet: (s: number) => `New access token issued, lifetime ${s} s.`,
    callTitle: 'Protected API',
    callOnce: 'Call the API',
    calling: 'Calling…',
    autoCall: (s: number) => `Call every ${s} s`,
    lastCall: 'Last call',
    resultFor: (user: string) => `answered for ${user}`,
    renewedTo: (time: string) => `token renewed, new exp ${time}`,
    callFailed: 'The call failed.',
    revocationTitle: 'Revoked within a second',
    revocationHint:
      'Sign this session out from another device (a private window signed in to the same account, on its Sessions page): every instance of the server refuses this session’s access token within a second, long before it expires. The next call here is refused, the refresh that follows says why, and this page goes to sign-in.',
    lastAccepted: (time: string) => `Last call accepted at ${time}`,
    replayTitle: 'Token theft',
    replay: 'Replay an old refresh token',
    replayHint:
      'Asks the server to try a refresh with this session’s previous, already-rotated refresh token — what someone holding a stolen copy would do.',
    replayWait: (s: number) => `Available in ${s} s`,
    noPrevious: (grace: number) =>
      `This session had no old refresh token yet, so the page renewed once: the token it replaced is now “old”. For ${grace} s it still counts as a harmless retry (grace window); try again after that.`,
    graceWindow: (s: number) =>
      `The old token is still inside its grace window (${s} s more). That window is what keeps two tabs refreshing at the same moment from logging each other out.`,
    reused:
      'Reuse detected: the server revoked the whole session. This page now forgets its tokens and returns to sign-in.',
    leavingIn: (s: number) => `Leaving in ${s} s`,
    goNow: 'Go now',
    demoOff: 'The server answered 404: demo controls are turned off.',
    failed: (status: number) => `The server answered ${status || 'nothing'}.`,
    keyTitle: 'Without this browser’s key',
    stealToken: 'Use my access token without my key',
    stealTokenHint:
      'Sends the current access token to the API as someone who copied it would: with a proof by a throwaway key, then as a plain Bearer token.',
    withForeignProof: 'With another key’s proof',
    asBearer: 'As a Bearer token',
    refusedWith: (status: number, code: string) => `refused: ${status} ${code}`,
    accepted: (status: number) => `accepted (${status})`,
    otherDevice: 'Use my refresh cookie from another device',
    otherDeviceHint:
      'The server presents this session’s refresh cookie as a device that copied it would: with a proof by a key of its own, through the real refresh checks.',
    otherDeviceRefused: (reason: string) =>
      `Refused: 401 invalid_grant (${reason}). The session was not touched and goes on here; the attempt is recorded.`,
    seeSessions: 'See it on the Sessions page',
    notKeyBound:
      'This session is bound to no browser key, so its cookie would work on any device: the demo does not try.',
  },

  announce: {
    signedIn: 'Signed in: access token issued.',
    expired: 'Access token expired.',
    renewed: 'Access token renewed.',
    slidingRenewal: 'Access token renewed with the API result.',
    lifetime: (s: number) => `New access token with a ${s} second lifetime.`,
    reused: 'Refresh-token reuse detected. The session was revoked.',
    refused: 'The server refused the request.',
  },

  csp: {
    title: 'Injected script and the Content-Security-Policy',
    intro:
      'Every script on this page carries a nonce the server made for this response alone, or was loaded by one that does; script text made by script is refused outright (Trusted Types). The button adds an inline script to the page, as an attacker’s code would: the browser refuses to run it, fires a CSP violation event, and reports the violation to the server. Chromium delivers the report over HTTPS only, within a minute.',
    inject: 'Inject a script into this page',
    ranLabel: 'The injected script',
    ran: 'ran — the policy did not stop it',
    blocked: 'did not run',
    browserLabel: 'The browser saw',
    noEvent: 'no violation event',
    serverLabel: 'The server received',
    waiting: 'waiting for the browser’s report…',
    noReport: 'no report arrived',
    received: (format: string) => `through ${format}; the log keeps only this line`,
  },
};

const ko: DemoMessages = {
  ...fromApp(MESSAGES.ko),
  title: '라이브 데모: JWT 세션이 실제로 움직이는 모습',
  intro:
    '아래의 화살표는 모두 이 페이지가 방금 보낸 실제 요청입니다. 액세스 토큰은 이 페이지의 메모리에만 있고 금방 만료됩니다. 리프레시 토큰(refresh token)은 어떤 스크립트도 읽을 수 없는 httpOnly 쿠키에 들어 있습니다. 두 토큰 모두 이 브라우저가 가지고 있지만 내보낼 수는 없는 키에 묶여 있어서(DPoP), 복사본은 다른 곳에서 쓸 수 없습니다. 아래 컨트롤로 기다리지 않고 각 경우를 확인해 보세요.',
  duration: (s) => twoUnits(s, ['일', '시간', '분', '초'], ''),

  diagram: {
    title: '시퀀스 다이어그램',
    hint: '가장 최근 것이 맨 아래에 있습니다. 화살표를 선택하면 요청과 응답의 세부 정보가 보입니다.',
    client: '클라이언트(이 페이지)',
    server: '서버',
    empty: '아직 요청이 없습니다. API를 호출하면 첫 화살표가 그려집니다.',
    clear: '지우기',
    retry: '재시도',
    refreshCookie: '리프레시 토큰 쿠키',
    request: '요청',
    status: '상태',
    took: '소요 시간',
    sentAccess: '보낸 액세스 토큰',
    sentRefresh: '리프레시 토큰 전송',
    received: '받은 액세스 토큰',
    error: '에러',
    none: '없음',
    cookieSent: '예 — 브라우저가 httpOnly 쿠키를 직접 붙입니다. 이 페이지는 읽을 수 없습니다',
    cookieIgnored:
      '쿠키도 함께 전송되지만(Path=/ 덕분에 엣지 미들웨어가 페이지를 보호함) API는 이 쿠키를 무시하고 액세스 토큰만 확인합니다',
    cookieSetByAnswer: '아직 없음 — 응답이 httpOnly 쿠키로 설정합니다',
    cookieReplayed: '서버가 이 세션의 이전(이미 교체된) 리프레시 토큰을 대신 보냅니다(페이지는 볼 수 없습니다)',
    cookieOtherDevice:
      '예 — 서버가 다른 기기인 것처럼 그 기기의 키로 만든 증명과 함께 쿠키를 보냅니다(페이지는 쿠키를 볼 수 없습니다)',
    tab: '탭',
    fingerprintNote: '토큰은 지문(fingerprint), 즉 SHA-256 값의 앞 16진수 8자리로 표시됩니다.',
    proof: 'DPoP 증명',
    proofKey: '증명 키의 지문(thumbprint)',
    serverCheck: '서버 확인 결과',
    checkOk: '통과',
    checkRefused: (code) => `거부: ${code}`,
    proofNote:
      '각 DPoP 증명(proof)은 jti의 앞부분, 증명이 대상으로 하는 메서드와 경로(htm·htu), ath로 표시됩니다. ath는 함께 보내는 토큰의 SHA-256 해시입니다. 토큰 지문과 같은 형식으로 표시하므로 그 토큰의 지문과 같은 값이 보입니다.',
    browser: '브라우저(DBSC)',
    reportedByServer: '서버가 알려 준 기록',
    notSeenByPage: '브라우저가 직접 보낸 요청이라 이 페이지는 볼 수 없습니다',
    dbscNote:
      '“서버가 알려 준 기록”으로 표시된 점선 화살표는 브라우저가 DBSC(Device Bound Session Credentials)를 위해 직접 보내는 요청으로, 어떤 페이지도 볼 수 없습니다. 서버가 이 요청을 기록하고, 데모는 5초마다 서버에 그 기록을 요청합니다. 시각은 서버 시계 기준입니다.',
  },
  arrow: {
    tokenRequest: '토큰 요청(아이디 + 비밀번호)',
    tokenIssued: '토큰 발급',
    signInRefused: '로그인 거부',
    passkeyOptions: '패스키 로그인: 옵션 요청',
    passkeyChallenge: '옵션: 일회용 챌린지(5분)와 rpId',
    passkeyAssertion: '인증기가 서명한 어설션(챌린지, 출처, rpId 해시, 사용자 확인) + DPoP 증명',
    checkAssertion: '어설션 확인(출처, rpId, 사용자 확인, 챌린지, 서명, 카운터), 세션을 증명의 키에 묶음',
    apiCall: '액세스 토큰으로 API 호출',
    retryCall: '새 토큰으로 재시도',
    checkIdExp: 'ID와 exp 확인',
    checkProofIdExp: '증명 확인(키 = cnf.jkt, htm·htu, ath, 처음 쓰인 jti) 후 ID와 exp 확인',
    checkSessionKey: '증명 확인: 세션의 키로 서명되었는가?',
    checkProofBind: '증명 확인, 세션을 이 키에 묶음',
    otherDeviceCheck: '서버: 이 쿠키 + 새로 만든 키의 증명으로 갱신 검사',
    result: '결과',
    resultNewExp: '결과 + 새 exp',
    expiredError: '만료 에러',
    apiRefused: '토큰 거부',
    renewalRequest: '리프레시 토큰으로 갱신 요청',
    earlyRenewalRequest: '페이지를 조작할 수 있게 되기 전에 보낸, 리프레시 토큰으로 갱신 요청',
    renewedToken: '갱신된 토큰',
    peerToken: '다른 탭이 전달한 갱신된 토큰',
    renewalRefused: '갱신 거부',
    logoutRequest: '로그아웃 요청',
    loggedOut: '세션 폐기, 쿠키 삭제',
    reauthOptions: '재인증: 옵션 요청(리프레시 토큰 쿠키 + DPoP 증명)',
    reauthChallenge: '옵션: 비밀번호, 또는 이 세션에 묶인 패스키 챌린지',
    reauthRequest: '재인증(비밀번호 또는 패스키) + 리프레시 토큰 쿠키 + DPoP 증명',
    reauthIssued: '같은 세션의 새 액세스 토큰: 새 auth_time, 교체된 것 없음',
    reauthRefused: '재인증 거부',
    stepUpRequired: '401 insufficient_user_authentication: 이 변경을 하기에는 로그인한 지 너무 오래됨',
    signInAgeRequest: '데모: 이 세션의 로그인 시각을 재인증 한도보다 오래전으로 바꿈',
    lifetimeRequest: '데모: 더 짧은 수명의 토큰 요청',
    replayRequest: '데모: 이전(이미 교체된) 리프레시 토큰으로 갱신 요청',
    otherDeviceRequest: '데모: 다른 기기에서 내 리프레시 토큰 쿠키 사용',
    foreignProofCall: '데모: 복사한 액세스 토큰과 다른 키의 증명으로 API 호출',
    bearerCall: '데모: 복사한 액세스 토큰을 Bearer 토큰으로 API 호출',
    proofRefused: 'DPoP 증명 거부',
    keyRefused: '거부: 세션의 키로 서명된 증명이 없음',
    notKeyBound: '시도하지 않음: 세션이 키에 묶여 있지 않음',
    reuseDetected: '재사용 감지: 세션 폐기',
    graceWindow: '거부: 이전 토큰이 아직 유예 시간 안에 있음',
    noPrevious: '거부: 아직 이전 토큰이 없음',
    demoOff: '데모 컨트롤이 꺼져 있음',
    failed: '요청 실패',
    noAnswer: '응답 없음(네트워크)',
    dbscRegistered: '브라우저(DBSC) → 기기 키 등록: 바운드 쿠키 발급',
    dbscRefreshed: '브라우저(DBSC) → 기기 키 소유 증명: 바운드 쿠키 갱신',
    dbscEnded: '브라우저(DBSC) → 갱신 요청: 세션이 종료되어 DBSC 세션도 종료',
    dbscRefused: '브라우저(DBSC) → 기기 키로 만든 증명이 거부됨',
  },

  inspector: {
    title: '토큰 검사기',
    noToken: '지금은 메모리에 액세스 토큰이 없습니다.',
    header: '헤더',
    claims: '클레임',
    meanings: '각 항목의 의미',
    headerMeaning: {
      alg: '서명 알고리즘, 서버가 고정함(ES256 = SHA-256을 쓰는 ECDSA P-256)',
      typ: '토큰 유형 “at+jwt”: 액세스 토큰이므로 리프레시 토큰 대신 절대 쓰일 수 없음',
      kid: '키 ID: 서버의 서명 키 중 어느 것으로 서명했는지(키 교체를 가능하게 함)',
    },
    claimMeaning: {
      iss: '발급자(issuer): 이 토큰에 서명한 서버',
      sub: '주체(subject): 토큰이 대표하는 사용자 ID',
      aud: '수신인(audience) = [클라이언트 ID, 서버 ID]: 이 웹 클라이언트와 이 API 둘 다를 위한 토큰. 서버는 둘 중 하나라도 없으면 거부하므로, 다른 앱이나 API용으로 발급된 토큰은 여기서 쓸 수 없음',
      client_id: '토큰을 발급받은 클라이언트',
      exp: '만료 시각(expiry): 이 시각 이후 서버는 “만료 에러”로 응답',
      nbf: '유효 시작 시각(not before): 이 시각 전에는 유효하지 않음',
      iat: '발급 시각(issued at): 서버가 서명한 시각',
      jti: 'JWT ID: 토큰마다 고유해서 각각을 구별할 수 있음',
      sid: '세션 ID: 이 토큰이 속한 로그인(리프레시 세션)',
      amr: '세션의 로그인 방식(RFC 8176): ["pwd"]는 비밀번호, ["hwk", "user"]는 한 기기의 하드웨어에 있는 패스키, ["swk", "user"]는 동기화되는 패스키이며 둘 다 사용자 확인을 거침',
      auth_time: '세션이 로그인한 시각. 갱신해도 그대로이므로 API가 최근 로그인을 요구할 수 있음',
      cnf: '소유 확인(confirmation): cnf.jkt는 이 브라우저 키의 지문(thumbprint, RFC 7638). 서버는 그 키로 서명한 증명이 함께 올 때만 토큰을 받아들임',
    },
    expiresIn: (s) => `${s}초 후 만료`,
    expiredAgo: (s) => `${s}초 전에 만료됨`,
    leeway: (s) =>
      `서버는 ${s}초의 시계 오차(clock skew)를 허용하므로 exp + ${s}초까지는 호출이 성공합니다. 그 뒤에 호출하면 “만료 에러”를 받고, 페이지가 토큰을 갱신한 뒤 다시 시도합니다.`,
    notBeforeIn: (s) => `${s}초 후 유효`,
    validSince: (time) => `${time}부터 유효`,
    lifetime: (s) => `수명 ${s}초`,
    expiryBar: 'exp까지 남은 시간',
    notBeforeBar: 'nbf까지 남은 시간',
    refreshTitle: '리프레시 토큰',
    refreshSeen: '이 페이지가 볼 수 있는 것',
    refreshNothing: '없음(httpOnly 쿠키)',
    refreshInvisible:
      '암호화(봉인)된 채 쿠키에 들어 있습니다. 브라우저가 이 사이트로 요청할 때 자동으로 함께 보내지만, httpOnly라 스크립트에는 보이지 않으므로 페이지에 주입된 코드도 훔칠 수 없습니다.',
    documentCookie: '이 페이지의 document.cookie',
    refreshLifetime: (time, left) => `서버가 알려 준 수명: ${time}까지(${left} 남음), 갱신할 때마다 연장됩니다.`,
    refreshRotates: (grace) =>
      `사용할 때마다 새 토큰으로 교체됩니다(로테이션). 밀려난 이전 토큰은 ${grace}초 동안 계속 쓸 수 있고(유예 시간), 그 뒤에 다시 사용하면 세션 전체가 종료됩니다.`,
    encoded: '인코딩된 토큰(전송되는 그대로)',
    encodedNote: '복사해도 됩니다. 이 브라우저의 키 없이는 API가 거부합니다.',
    passkeyOrigin:
      '패스키로 로그인했습니다. 비슷하게 꾸민 가짜 사이트는 이 패스키를 쓸 수 없습니다. 브라우저가 페이지의 실제 출처(origin)를 패스키가 서명하는 내용에 직접 넣고 각 사이트에는 그 사이트의 패스키만 내주며, 서버는 다른 출처나 rpId용으로 만든 어설션을 거부합니다.',
    keyTitle: '이 브라우저의 키(DPoP)',
    keyIntro:
      '로그인할 때 만들어져 IndexedDB에 보관됩니다. 개인 키는 이 페이지를 포함해 어떤 스크립트도 읽을 수 없으며, 스크립트는 이 키에 서명을 요청할 수만 있습니다. 토큰이나 리프레시 토큰 쿠키를 쓰는 모든 요청에는 이 키로 서명한 증명이 함께 전송됩니다.',
    tokenJkt: '액세스 토큰에서 읽은 값: 토큰이 묶인 키',
    thumbprint: '키 지문',
    pageThumbprint: '이 페이지에서 계산한 브라우저 공개 키의 지문(RFC 7638: JWK의 crv, kty, x, y에 대한 SHA-256)',
    keyMatch: '일치: 토큰이 이 브라우저의 키에 묶여 있음',
    keyMismatch: '불일치: 토큰이 다른 키에 묶여 있음',
    noKey: '이 브라우저에는 키가 없습니다.',
    unbound: '이 토큰은 키에 묶여 있지 않습니다(서버가 DPOP_MODE=off로 실행 중).',
    privateKey: '개인 키',
    tryExport: '개인 키 내보내기 시도',
    exportRefused: (error) => `브라우저가 거부했습니다(${error}). 이 페이지조차 읽을 수 없습니다.`,
    exported:
      '내보내기에 성공했습니다. 이 키는 내보낼 수 있는(extractable) 키입니다. 개인 키는 절대 내보낼 수 있어서는 안 됩니다.',
    dbscTitle: '이 기기의 키(DBSC)',
    dbscIntro:
      'DBSC(Device Bound Session Credentials, 기기 바운드 세션 사용자 인증 정보)를 지원하는 브라우저에서는 리프레시 세션이 이 기기의 보안 하드웨어(TPM 등)에 있는 키에도 묶입니다. 브라우저는 이 키를 등록해 수명이 짧은 바운드 쿠키(bound cookie)를 받고, 쿠키가 만료되기 전에 이 키를 가지고 있음을 다시 증명해 쿠키를 갱신합니다. 이 요청들은 브라우저가 직접 보내므로 이 페이지는 볼 수 없습니다. 아래는 서버가 기록한 내용입니다.',
    dbscAsking: '서버에 묻는 중…',
    dbscNotOffered: '제공되지 않음: 서버가 DBSC=off로 실행 중입니다.',
    dbscNotRegistered:
      '기기에 묶이지 않음: 이 브라우저는 기기 키를 등록하지 않았습니다(DBSC 미지원 또는 HTTPS가 아님).',
    dbscBound: '기기에 묶임: 리프레시 세션이 이 기기의 키에 묶여 있습니다(DBSC).',
    dbscRenewsIn: (left, time) => `다음 바운드 쿠키 갱신: ${time}(${left} 후)`,
    dbscRenewalDue: (time) =>
      `다음 바운드 쿠키 갱신: 예정 시각(${time})이 지났습니다. 브라우저가 이 사이트에 다음 요청을 보낼 때 갱신합니다.`,
    boundCookieExpires: (time) =>
      `바운드 쿠키는 ${time}에 만료됩니다. 복사된 쿠키는 그때까지는 이 기기의 키 없이도 통하지만, 그 뒤로는 통하지 않습니다.`,
  },

  stepUp: {
    title: '재인증(step-up, RFC 9470)',
    hint: (minutes) =>
      `민감한 변경은 최근 ${minutes}분 안에 로그인한 경우에만 할 수 있습니다. 이 세션의 로그인 시각을 오래전으로 바꾼 뒤 다른 세션에서 로그아웃해 보세요. 서버가 401 insufficient_user_authentication으로 응답하면 페이지가 재인증을 요청하고, 변경을 다시 보냅니다.`,
    age: '로그인 시각을 오래전으로',
    aged: (time) => `이 세션의 로그인 시각은 이제 ${time}입니다(auth_time).`,
    sensitive: '다른 세션에서 로그아웃',
    done: '완료: 재인증했고, 다른 세션은 모두 로그아웃되었습니다.',
    cancelled: '재인증하지 않았습니다. 바뀐 것은 없습니다.',
  },
  controls: {
    title: '컨트롤',
    badge: '데모 전용',
    off: '이 서버에서는 데모 컨트롤이 꺼져 있습니다(DEMO_CONTROLS=false).',
    lifetimeLabel: '이 세션의 액세스 토큰 수명',
    lifetimeHint: (max) => `서버 설정의 최댓값(${max}초)을 넘지 않도록 제한합니다.`,
    lifetimeSet: (s) => `수명이 ${s}초인 새 액세스 토큰이 발급되었습니다.`,
    callTitle: '보호된 API',
    callOnce: 'API 호출',
    calling: '호출하는 중…',
    autoCall: (s) => `${s}초마다 호출`,
    lastCall: '마지막 호출',
    resultFor: (user) => `${user} 사용자의 정보로 응답`,
    renewedTo: (time) => `토큰 갱신됨, 새 exp ${time}`,
    callFailed: '호출에 실패했습니다.',
    revocationTitle: '1초 이내 폐기',
    revocationHint:
      '같은 계정으로 로그인한 다른 기기(예: 시크릿 창)의 세션 페이지에서 이 세션을 로그아웃하세요. 서버의 모든 인스턴스가 토큰 만료를 기다리지 않고 1초 이내에 이 세션의 액세스 토큰을 거부합니다. 여기서의 다음 호출이 거부되고, 이어지는 갱신이 그 이유를 알려 주며, 이 페이지는 로그인 화면으로 이동합니다.',
    lastAccepted: (time) => `마지막으로 받아들여진 호출: ${time}`,
    replayTitle: '토큰 탈취',
    replay: '이전 리프레시 토큰 재전송',
    replayHint:
      '이 세션의 이전(이미 교체된) 리프레시 토큰으로 갱신을 시도하도록 서버에 요청합니다. 훔친 토큰을 가진 사람이 하는 일과 같습니다.',
    replayWait: (s) => `${s}초 후 사용 가능`,
    noPrevious: (grace) =>
      `이 세션에는 아직 이전 리프레시 토큰이 없어서 페이지가 한 번 갱신했습니다. 방금 밀려난 토큰이 이제 “이전 토큰”입니다. ${grace}초 동안은 정상적인 재시도로 간주되므로(유예 시간) 그 뒤에 다시 시도하세요.`,
    graceWindow: (s) =>
      `이전 토큰의 유예 시간이 아직 ${s}초 남았습니다. 이 유예 시간 덕분에 두 탭이 동시에 갱신해도 서로 로그아웃되지 않습니다.`,
    reused: '재사용 감지: 서버가 세션 전체를 폐기했습니다. 이 페이지는 토큰을 지우고 로그인 화면으로 이동합니다.',
    leavingIn: (s) => `${s}초 후 이동`,
    goNow: '지금 이동',
    demoOff: '서버가 404로 응답했습니다. 데모 컨트롤이 꺼져 있습니다.',
    failed: (status) => `서버 응답: ${status || '없음'}.`,
    keyTitle: '이 브라우저의 키 없이',
    stealToken: '내 키 없이 내 액세스 토큰 사용',
    stealTokenHint:
      '토큰을 복사한 사람처럼 현재 액세스 토큰을 API로 보냅니다. 먼저 일회용 키로 만든 증명과 함께, 그다음 일반 Bearer 토큰으로 보냅니다.',
    withForeignProof: '다른 키의 증명과 함께',
    asBearer: 'Bearer 토큰으로',
    refusedWith: (status, code) => `거부: ${status} ${code}`,
    accepted: (status) => `받아들여짐(${status})`,
    otherDevice: '다른 기기에서 내 리프레시 토큰 쿠키 사용',
    otherDeviceHint:
      '쿠키를 복사해 간 다른 기기처럼, 서버가 이 세션의 리프레시 토큰 쿠키를 그 기기의 키로 만든 DPoP 증명과 함께 보내 실제 갱신 검사를 받게 합니다.',
    otherDeviceRefused: (reason) =>
      `거부: 401 invalid_grant(${reason}). 세션은 그대로이며 여기서 계속 쓸 수 있습니다. 이 시도는 기록되었습니다.`,
    seeSessions: '세션 페이지에서 확인',
    notKeyBound:
      '이 세션은 브라우저 키에 묶여 있지 않아 쿠키를 어느 기기에서나 쓸 수 있습니다. 그래서 데모는 시도하지 않습니다.',
  },

  announce: {
    signedIn: '로그인됨: 액세스 토큰이 발급되었습니다.',
    expired: '액세스 토큰이 만료되었습니다.',
    renewed: '액세스 토큰이 갱신되었습니다.',
    slidingRenewal: 'API 결과와 함께 액세스 토큰이 갱신되었습니다.',
    lifetime: (s) => `수명이 ${s}초인 새 액세스 토큰이 발급되었습니다.`,
    reused: '리프레시 토큰 재사용이 감지되었습니다. 세션이 폐기되었습니다.',
    refused: '서버가 요청을 거부했습니다.',
  },

  csp: {
    title: '주입된 스크립트와 콘텐츠 보안 정책(CSP) 위반',
    intro:
      '이 페이지의 모든 스크립트에는 서버가 이 응답 하나만을 위해 만든 논스(nonce)가 붙어 있거나, 그런 스크립트가 불러온 것입니다. 스크립트가 만든 스크립트 코드는 아예 거부됩니다(Trusted Types). 버튼을 누르면 공격자의 코드처럼 인라인 스크립트를 페이지에 추가합니다. 브라우저는 실행을 거부하고, CSP 위반 이벤트를 발생시킨 뒤 서버에 이 CSP 위반을 보고합니다. Chromium은 이 보고를 HTTPS에서만, 1분 이내에 보냅니다.',
    inject: '이 페이지에 스크립트 주입',
    ranLabel: '주입된 스크립트',
    ran: '실행됨 — 정책이 막지 못했습니다',
    blocked: '실행되지 않음',
    browserLabel: '브라우저가 본 것',
    noEvent: 'CSP 위반 이벤트 없음',
    serverLabel: '서버가 받은 것',
    waiting: '브라우저의 보고를 기다리는 중…',
    noReport: '보고가 도착하지 않았습니다',
    received: (format: string) => `${format}로 받음. 로그에는 이 한 줄만 남습니다`,
  },
};

/** English's shape, which every language's demo dictionary has. */
export type DemoMessages = typeof en;

/** Every language's demo dictionary. */
export const DEMO_MESSAGES: Record<Lang, DemoMessages> = { en, ko };
