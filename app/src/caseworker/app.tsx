import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Translator } from '../../../i18n/translator';
import { createGql } from '../shared/api';
import { I18nProvider, loadTranslator, useT } from '../shared/i18n';
import { clearSession, readSession, saveLanguage, writeSession } from '../shared/session';
import { LanguageMenu } from '../shared/ui';
import { AppContext, type AppContextValue } from './context';
import type { OidcSettings } from './oidc';
import { composePurpose, PurposePicker, purposeError, type PurposeValue } from './purpose';
import { RecordScreen } from './record';
import { ReferralsScreen } from './referrals';
import { SearchScreen } from './search';
import type { Me } from './sections';
import { SignIn } from './sign-in';

/** Served by the hub at /app/config.json (src/http/web-app.ts). */
export interface ClientConfig {
  oidc: OidcSettings | null;
}

export function loadClientConfig(): Promise<ClientConfig> {
  return fetch('/app/config.json', { credentials: 'omit' })
    .then((r) => r.json() as Promise<ClientConfig>)
    .catch((): ClientConfig => ({ oidc: null }));
}

export interface Session {
  token: string;
  purpose: string;
  me: Me;
}

const STORE = 'hub-app-session';
const NAMESPACES = ['common', 'app'] as const;

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash || '#/find');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/find');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App(props: { config: ClientConfig | null; initial: Translator }) {
  const [t, setT] = useState(props.initial);
  const [config, setConfig] = useState(props.config);
  const [session, setSession] = useState<Session | null>(() => readSession<Session>(STORE));
  const [notice, setNotice] = useState<string | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;
  useEffect(() => {
    if (!session && !config) void loadClientConfig().then(setConfig);
  }, [session, config]);
  const memory = useMemo(() => new Map<string, unknown>(), [session?.token]);

  const signOut = (message: string | null) => {
    clearSession(STORE);
    setSession(null);
    setNotice(message);
  };
  const gql = useMemo(
    () =>
      createGql(
        () => sessionRef.current,
        (message) => signOut(message),
      ),
    [],
  );
  const changeLanguage = async (code: string) => {
    saveLanguage(code);
    setT(await loadTranslator(code, [...NAMESPACES]));
  };
  const signedIn = (s: Session) => {
    writeSession(STORE, s);
    setNotice(null);
    setSession(s);
  };

  return (
    <I18nProvider t={t}>
      {session ? (
        <Shell
          session={session}
          gql={gql}
          memory={memory}
          onSignOut={() => signOut(t.t('app.signin.signedOut'))}
          onPurpose={(purpose) => signedIn({ ...session, purpose })}
          language={t.locale}
          onLanguage={changeLanguage}
        />
      ) : config ? (
        <SignIn config={config} notice={notice} onSignedIn={signedIn} language={t.locale} onLanguage={changeLanguage} />
      ) : null}
    </I18nProvider>
  );
}

function Shell(props: {
  session: Session;
  gql: AppContextValue['gql'];
  memory: Map<string, unknown>;
  onSignOut: () => void;
  onPurpose: (p: string) => void;
  language: string;
  onLanguage: (code: string) => void;
}) {
  const { session } = props;
  const route = useHashRoute();
  const t = useT();
  const [editingPurpose, setEditingPurpose] = useState(false);
  const ctx: AppContextValue = useMemo(
    () => ({
      gql: props.gql,
      me: session.me,
      memory: props.memory,
      navigate: (hash: string) => {
        location.hash = hash;
      },
    }),
    [props.gql, session.me, props.memory],
  );
  const [, screen, id, tab] = /^#\/(\w+)(?:\/([\w-]+))?(?:\/(\w+))?/.exec(route) ?? [];
  useEffect(() => {
    document.getElementById('main')?.focus();
  }, [screen, id]);
  const a = session.me.staff.agency;

  return (
    <AppContext.Provider value={ctx}>
      <a class="skip" href="#main">
        {t.t('common.skipToContent')}
      </a>
      <header class="bar">
        <div class="brand">
          <strong>{t.t('common.hubName')}</strong>
          <span class="muted">{t.t('app.title')}</span>
        </div>
        <nav class="main-nav" aria-label={t.t('app.nav.label')}>
          <a href="#/find" aria-current={screen === 'find' || !screen ? 'page' : undefined}>
            {t.t('app.nav.find')}
          </a>
          <a href="#/referrals" aria-current={screen === 'referrals' ? 'page' : undefined}>
            {t.t('app.nav.referrals')}
          </a>
        </nav>
        <div class="whoami">
          <span id="whoami">{t.t('app.whoami', { name: session.me.staff.displayName, agency: a.name })}</span>
          <LanguageMenu value={props.language} onChange={props.onLanguage} />
          <button type="button" id="sign-out" class="link" onClick={props.onSignOut}>
            {t.t('common.signOut')}
          </button>
        </div>
      </header>
      <div class="purpose-bar">
        <span>
          {t.t('app.purpose.current')}{' '}
          <strong id="purpose-shown" translate={false}>
            {session.purpose}
          </strong>
        </span>
        <button
          type="button"
          class="link"
          id="change-purpose"
          aria-expanded={editingPurpose}
          onClick={() => setEditingPurpose(!editingPurpose)}
        >
          {t.t('app.purpose.change')}
        </button>
      </div>
      {editingPurpose ? (
        <PurposeEditor
          onDone={(p) => {
            setEditingPurpose(false);
            if (p) props.onPurpose(p);
          }}
        />
      ) : null}
      <main id="main" tabIndex={-1}>
        {screen === 'record' && id ? (
          <RecordScreen key={id} id={id} tab={tab ?? 'record'} />
        ) : screen === 'referrals' ? (
          <ReferralsScreen />
        ) : (
          <SearchScreen />
        )}
      </main>
    </AppContext.Provider>
  );
}

function PurposeEditor(props: { onDone: (purpose: string | null) => void }) {
  const t = useT();
  const [value, setValue] = useState<PurposeValue>({ choice: 'followUp', details: '' });
  const [error, setError] = useState<string>();
  return (
    <form
      class="panel narrow purpose-editor"
      id="purpose-form"
      onSubmit={(e) => {
        e.preventDefault();
        const err = purposeError(t, value);
        if (err) return setError(err);
        props.onDone(composePurpose(t, value));
      }}
    >
      <PurposePicker value={value} onChange={setValue} error={error} />
      <div class="actions">
        <button type="submit" class="primary">
          {t.t('app.purpose.use')}
        </button>
        <button type="button" onClick={() => props.onDone(null)}>
          {t.t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
