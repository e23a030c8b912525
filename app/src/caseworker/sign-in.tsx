import { useEffect, useState } from 'preact/hooks';
import { AppMeDocument } from '../api/generated';
import { createGql } from '../shared/api';
import { useT } from '../shared/i18n';
import { readSession, writeSession, clearSession } from '../shared/session';
import { Alert, errorText, Field, LanguageMenu, valueOf } from '../shared/ui';
import type { ClientConfig, Session } from './app';
import { completeOidcSignIn, startOidcSignIn } from './oidc';
import { composePurpose, PurposePicker, purposeError, type PurposeValue } from './purpose';
import { RECORD_SECTIONS } from './sections';

const PENDING_PURPOSE = 'hub-app-pending-purpose';

/**
 * Sign-in: a token from `hub token` (development, scripts) or the identity provider (OIDC with
 * PKCE, when the hub has an issuer configured), and the purpose of use for this session.
 * `me` is the only call without a purpose; an account whose policy reads no section of a
 * record (an auditor, an administrator) is told where to go and nothing is kept.
 */
export function SignIn(props: {
  config: ClientConfig;
  notice: string | null;
  onSignedIn: (s: Session) => void;
  language: string;
  onLanguage: (c: string) => void;
}) {
  const t = useT();
  const [token, setToken] = useState('');
  const [purpose, setPurpose] = useState<PurposeValue>(
    () => readSession<PurposeValue>(PENDING_PURPOSE) ?? { choice: 'followUp', details: '' },
  );
  const [errors, setErrors] = useState<{ token?: string; purpose?: string }>({});
  const [alert, setAlert] = useState<{ kind: 'error' | 'refusal' | 'info'; text: string } | null>(
    props.notice ? { kind: 'info', text: props.notice } : null,
  );
  const [busy, setBusy] = useState(false);

  async function finish(rawToken: string, purposeText: string) {
    const creds = { token: rawToken.trim().replace(/^Bearer\s+/i, ''), purpose: '' };
    setBusy(true);
    try {
      const { me } = await createGql(
        () => creds,
        () => undefined,
      )(AppMeDocument);
      const readsRecords = me.readableSections.some((s) => (RECORD_SECTIONS as string[]).includes(s));
      if (!readsRecords) {
        setToken('');
        const a = me.staff.agency;
        setAlert({
          kind: 'refusal',
          text: t.t(me.canReadAuditTrail ? 'app.signin.auditorRefused' : 'app.signin.refused', {
            name: me.staff.displayName,
            username: me.staff.username,
            roles: me.staff.roles.join(', '),
            agency: a.name,
            sector: a.sector,
          }),
        });
        return;
      }
      clearSession(PENDING_PURPOSE);
      props.onSignedIn({ token: creds.token, purpose: purposeText, me });
    } catch (e) {
      setAlert({ kind: 'error', text: t.t('app.signin.failed', { message: errorText(t, e) }) });
    } finally {
      setBusy(false);
    }
  }

  // Back from the identity provider: trade the code for a token, then sign in with it.
  useEffect(() => {
    completeOidcSignIn().then(
      (accessToken) => {
        if (!accessToken) return;
        const pending = readSession<PurposeValue>(PENDING_PURPOSE);
        void finish(accessToken, pending ? composePurpose(t, pending) : t.t('app.purpose.option.followUp'));
      },
      (e: Error) => setAlert({ kind: 'error', text: t.t('app.signin.oidcFailed', { message: e.message }) }),
    );
  }, []);

  const submitToken = (e: Event) => {
    e.preventDefault();
    const next = { token: token.trim() ? undefined : t.t('app.signin.tokenRequired'), purpose: purposeError(t, purpose) };
    setErrors(next);
    if (next.token || next.purpose) return;
    void finish(token, composePurpose(t, purpose));
  };
  const signInWithProvider = async () => {
    const err = purposeError(t, purpose);
    setErrors({ purpose: err });
    if (err || !props.config.oidc) return;
    writeSession(PENDING_PURPOSE, purpose);
    try {
      await startOidcSignIn(props.config.oidc);
    } catch (e) {
      setAlert({ kind: 'error', text: t.t('app.signin.oidcFailed', { message: (e as Error).message }) });
    }
  };

  return (
    <>
      <header class="bar">
        <div class="brand">
          <strong>{t.t('common.hubName')}</strong>
          <span class="muted">{t.t('app.title')}</span>
        </div>
        <div class="whoami">
          <LanguageMenu value={props.language} onChange={props.onLanguage} />
        </div>
      </header>
      <main id="main">
        <section class="panel narrow" aria-labelledby="sign-in-title">
          <h1 id="sign-in-title">{t.t('app.signin.title')}</h1>
          <p class="muted">{t.t('app.signin.intro')}</p>
          {alert ? (
            <Alert kind={alert.kind} id="alert">
              {alert.text}
            </Alert>
          ) : null}
          <form id="sign-in-form" noValidate onSubmit={submitToken}>
            <PurposePicker value={purpose} onChange={setPurpose} error={errors.purpose} />
            {props.config.oidc ? (
              <div class="oidc">
                <button type="button" class="primary" id="oidc-sign-in" disabled={busy} onClick={signInWithProvider}>
                  {t.t('app.signin.withProvider')}
                </button>
                <p class="hint">{t.t('app.signin.providerHint', { issuer: new URL(props.config.oidc.issuer).host })}</p>
              </div>
            ) : null}
            <details open={!props.config.oidc} class="token-signin">
              <summary>{t.t('app.signin.withToken')}</summary>
              <Field id="token" label={t.t('app.signin.token')} hint={t.t('app.signin.tokenHint')} error={errors.token}>
                {(a) => (
                  <input
                    {...a}
                    name="token"
                    type="password"
                    autoComplete="off"
                    spellcheck={false}
                    value={token}
                    onInput={(e) => setToken(valueOf(e))}
                  />
                )}
              </Field>
              <button type="submit" class="primary" disabled={busy}>
                {t.t('app.signin.submit')}
              </button>
            </details>
          </form>
        </section>
      </main>
    </>
  );
}
