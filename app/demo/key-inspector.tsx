import { calculateJwkThumbprint } from 'jose';
import { useEffect, useState } from 'react';
import { loadKey } from '@/lib/client/dpop';
import type { DemoMessages } from './messages';

type Props = {
  /** The access token's cnf.jkt, or null when it is bound to no key. */
  jkt: string | null;
  t: DemoMessages;
};

/** What the page can learn about its key: the public half's thumbprint, and the private half's properties. */
interface KeyFacts {
  thumbprint: string;
  algorithm: string;
  extractable: boolean;
  usages: string;
}

/** The RFC 7638 thumbprint of the public key (exported as a JWK: the public half may be), and what the private half is. */
async function readKey(pair: CryptoKeyPair): Promise<KeyFacts> {
  const { crv, kty, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey);
  const algorithm = pair.privateKey.algorithm as EcKeyAlgorithm;
  return {
    thumbprint: await calculateJwkThumbprint({ crv, kty, x, y }, 'sha256'),
    algorithm: `${algorithm.name} ${algorithm.namedCurve}`,
    extractable: pair.privateKey.extractable,
    usages: pair.privateKey.usages.join(', '),
  };
}

/** What the browser says when the page asks for the private key: the error it refuses with (null if it gave it up). */
async function exportPrivateKey(pair: CryptoKeyPair): Promise<string | null> {
  try {
    await crypto.subtle.exportKey('jwk', pair.privateKey);
    return null;
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
}

/** This browser's DPoP key next to the token's cnf.jkt: whether they match, and that the private key cannot be read. */
export default function KeyInspector({ jkt, t }: Props) {
  const [key, setKey] = useState<{ pair: CryptoKeyPair; facts: KeyFacts } | 'none' | null>(null);
  const [exportError, setExportError] = useState<string | null | undefined>(undefined);

  // Read again with each token: a sign-in in another tab brings a new key.
  useEffect(() => {
    let live = true;
    void loadKey()
      .then(async (pair) => (pair ? { pair, facts: await readKey(pair) } : ('none' as const)))
      .then((read) => live && setKey(read));
    return () => {
      live = false;
    };
  }, [jkt]);

  async function tryExport() {
    if (key && key !== 'none') setExportError(await exportPrivateKey(key.pair));
  }

  const facts = key && key !== 'none' ? key.facts : null;
  return (
    <div className="refresh-box stack" data-testid="key-inspector">
      <h3>{t.inspector.keyTitle}</h3>
      <p className="small">{t.inspector.keyIntro}</p>
      {jkt === null && <p className="small muted">{t.inspector.unbound}</p>}
      {key === 'none' && <p className="small">{t.inspector.noKey}</p>}
      <dl className="claim-list">
        {jkt !== null && (
          <div className="claim">
            <dt>
              <code>cnf.jkt</code>
            </dt>
            <dd>
              <code className="claim-value" data-testid="key-cnf-jkt">
                {jkt}
              </code>
              <span className="claim-meaning">{t.inspector.tokenJkt}</span>
            </dd>
          </div>
        )}
        {facts && (
          <>
            <div className="claim">
              <dt>{t.inspector.thumbprint}</dt>
              <dd>
                <code className="claim-value" data-testid="key-thumbprint">
                  {facts.thumbprint}
                </code>
                <span className="claim-meaning">{t.inspector.pageThumbprint}</span>
              </dd>
            </div>
            <div className="claim">
              <dt>{t.inspector.privateKey}</dt>
              <dd>
                <code className="claim-value" data-testid="key-private">
                  {`${facts.algorithm} · extractable: ${facts.extractable} · usages: ${facts.usages}`}
                </code>
              </dd>
            </div>
          </>
        )}
      </dl>
      {facts && jkt !== null && (
        <p className="small" data-testid="key-match">
          <strong className={facts.thumbprint === jkt ? 'tone-ok' : 'tone-bad'}>
            {facts.thumbprint === jkt ? t.inspector.keyMatch : t.inspector.keyMismatch}
          </strong>
        </p>
      )}
      {facts && (
        <div className="stack tight">
          <div>
            <button type="button" className="secondary small" onClick={tryExport}>
              {t.inspector.tryExport}
            </button>
          </div>
          <p className="small" role="status" data-testid="key-export">
            {exportError !== undefined &&
              (exportError === null ? t.inspector.exported : t.inspector.exportRefused(exportError))}
          </p>
        </div>
      )}
    </div>
  );
}
