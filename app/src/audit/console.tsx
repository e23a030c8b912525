import { useMemo, useRef, useState } from 'preact/hooks';
import type { Translator } from '../../../i18n/translator';
import { ConsoleAgenciesDocument, ConsoleMeDocument, type ConsoleMeQuery } from '../api/generated';
import { createGql, type Gql } from '../shared/api';
import { I18nProvider, loadTranslator, useT } from '../shared/i18n';
import { clearSession, readSession, saveLanguage, writeSession } from '../shared/session';
import { errorText, LanguageMenu, valueOf } from '../shared/ui';
import { AgreementsView } from './agreements';
import { EventsView, type Narrow } from './events';
import { IntegrityView } from './integrity';
import { ReportView } from './report';

/**
 * The auditor console (/audit/): search the trail, a person's disclosure report, the integrity
 * of the chain, CSV export — through the public GraphQL API with the auditor's own token and
 * declared purpose, so each of its reads is itself audited. The token lives in this tab only.
 */
export type ConsoleMe = ConsoleMeQuery['me'];
interface Creds {
  token: string;
  purpose: string;
  me: ConsoleMe;
}
const STORE = 'hub-audit-console';
export type View = 'events' | 'report' | 'agreements' | 'integrity';

export interface ConsoleCtx {
  gql: Gql;
  me: ConsoleMe;
  /** Agencies read once, when the auditor first opens the agency menu (each read is an event). */
  agencies: { id: string; code: string; name: string }[] | null;
  loadAgencies(): Promise<{ id: string; code: string; name: string }[]>;
}

export function AuditConsole(props: { initial: Translator }) {
  const [t, setT] = useState(props.initial);
  const [creds, setCreds] = useState<Creds | null>(() => readSession<Creds>(STORE));
  const [alert, setAlert] = useState<{ kind: string; text: string } | null>(null);
  const credsRef = useRef(creds);
  credsRef.current = creds;
  const signOut = (message: string) => {
    clearSession(STORE);
    setCreds(null);
    setAlert({ kind: 'info', text: message });
  };
  const gql = useMemo(
    () =>
      createGql(
        () => credsRef.current,
        (m) => signOut(t.t('audit.signedOutBecause', { message: m })),
      ),
    [],
  );
  const changeLanguage = async (code: string) => {
    saveLanguage(code);
    setT(await loadTranslator(code, ['common', 'audit']));
  };
  return (
    <I18nProvider t={t}>
      <Header creds={creds} onSignOut={() => signOut(t.t('audit.signedOut'))} language={t.locale} onLanguage={changeLanguage} />
      <div id="alert" class={`alert ${alert?.kind ?? 'error'}`} role="alert" hidden={!alert?.text}>
        {alert?.text ?? ''}
      </div>
      <main id="main" tabIndex={-1}>
        {creds ? (
          <Signed creds={creds} gql={gql} setAlert={(text, kind = 'error') => setAlert(text ? { kind, text } : null)} />
        ) : (
          <SignIn
            onSignedIn={(c) => {
              writeSession(STORE, c);
              setAlert(null);
              setCreds(c);
            }}
            setAlert={(text, kind = 'error') => setAlert({ kind, text })}
          />
        )}
      </main>
    </I18nProvider>
  );
}

function Header(props: { creds: Creds | null; onSignOut: () => void; language: string; onLanguage: (c: string) => void }) {
  const t = useT();
  const me = props.creds?.me;
  return (
    <header class="bar">
      <div class="brand">
        <strong>{t.t('common.hubName')}</strong>
        <span class="muted">{t.t('audit.title')}</span>
      </div>
      <div class="whoami">
        {me ? (
          <span id="whoami-text">
            {t.t('audit.whoami', {
              name: me.staff.displayName,
              username: me.staff.username,
              agency: me.staff.agency.name,
              country: me.staff.agency.country,
            })}
          </span>
        ) : null}
        {me ? (
          <span class="muted" id="purpose-shown">
            {t.t('audit.purposeShown', { purpose: props.creds!.purpose })}
          </span>
        ) : null}
        <LanguageMenu value={props.language} onChange={props.onLanguage} />
        {me ? (
          <button type="button" id="sign-out" class="link" onClick={props.onSignOut}>
            {t.t('common.signOut')}
          </button>
        ) : null}
      </div>
    </header>
  );
}

function SignIn(props: { onSignedIn: (c: Creds) => void; setAlert: (text: string, kind?: string) => void }) {
  const t = useT();
  const [token, setToken] = useState('');
  const [purpose, setPurpose] = useState(() => t.t('audit.defaultPurpose'));
  const submit = async (e: Event) => {
    e.preventDefault();
    const c = { token: token.trim().replace(/^Bearer\s+/i, ''), purpose: purpose.trim() };
    if (!c.token) return props.setAlert(t.t('audit.tokenRequired'));
    if (!c.purpose) return props.setAlert(t.t('audit.purposeRequired'));
    let me: ConsoleMe;
    try {
      me = (
        await createGql(
          () => c,
          () => undefined,
        )(ConsoleMeDocument)
      ).me;
    } catch (err) {
      return props.setAlert(t.t('audit.signInRefused', { message: errorText(t, err) }));
    }
    if (!me.canReadAuditTrail) {
      clearSession(STORE);
      setToken('');
      const a = me.staff.agency;
      return props.setAlert(
        t.t('audit.refused', {
          name: me.staff.displayName,
          username: me.staff.username,
          roles: me.staff.roles.join(', '),
          agency: a.name,
          sector: a.sector,
        }),
        'refusal',
      );
    }
    props.onSignedIn({ ...c, me });
  };
  return (
    <section id="sign-in" class="panel narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.t('audit.signIn')}</h1>
      <p class="muted">{t.t('audit.signInIntro')}</p>
      <form id="sign-in-form" noValidate onSubmit={submit}>
        <label for="token">{t.t('audit.token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={token}
          onInput={(e) => setToken(valueOf(e))}
        />
        <label for="purpose">{t.t('audit.purpose')}</label>
        <input id="purpose" name="purpose" type="text" maxLength={200} required value={purpose} onInput={(e) => setPurpose(valueOf(e))} />
        <button type="submit" class="primary">
          {t.t('audit.signInButton')}
        </button>
      </form>
    </section>
  );
}

function Signed(props: { creds: Creds; gql: Gql; setAlert: (text: string, kind?: string) => void }) {
  const t = useT();
  const [view, setView] = useState<View>('events');
  const [reportId, setReportId] = useState('');
  const [narrow, setNarrow] = useState<Narrow>({ n: 0 });
  const [agencies, setAgencies] = useState<ConsoleCtx['agencies']>(null);
  const loading = useRef<Promise<NonNullable<ConsoleCtx['agencies']>> | null>(null);
  const ctx: ConsoleCtx = {
    gql: props.gql,
    me: props.creds.me,
    agencies,
    loadAgencies: () => {
      loading.current ??= props.gql(ConsoleAgenciesDocument).then((d) => {
        const list = [...d.agencies].sort((x, y) => x.code.localeCompare(y.code));
        setAgencies(list);
        return list;
      });
      return loading.current;
    },
  };
  const openReport = (id: string) => {
    setReportId(id);
    setView('report');
  };
  const showEvents = (n: Omit<typeof narrow, 'n'>) => {
    setNarrow({ ...n, n: narrow.n + 1 });
    setView('events');
  };
  return (
    <div id="app">
      <nav class="tabs" aria-label={t.t('audit.views')}>
        {(['events', 'report', 'agreements', 'integrity'] as View[]).map((v) => (
          <button key={v} type="button" class="tab" data-view={v} aria-pressed={view === v} onClick={() => setView(v)}>
            {t.t(`audit.tab.${v}`)}
          </button>
        ))}
      </nav>
      <div hidden={view !== 'events'}>
        <EventsView ctx={ctx} narrow={narrow} onReport={openReport} setAlert={props.setAlert} />
      </div>
      {view === 'report' ? (
        <ReportView
          ctx={ctx}
          returneeId={reportId}
          onEvents={(returneeId, basis) => showEvents({ returneeId, reset: true, basis: basis?.kind, basisRef: basis?.ref ?? undefined })}
          setAlert={props.setAlert}
        />
      ) : null}
      {view === 'agreements' ? (
        <AgreementsView
          ctx={ctx}
          onDisclosures={(basisRef) => showEvents({ basis: 'AGREEMENT', basisRef, reset: true })}
          setAlert={props.setAlert}
        />
      ) : null}
      {view === 'integrity' ? <IntegrityView ctx={ctx} setAlert={props.setAlert} /> : null}
    </div>
  );
}
