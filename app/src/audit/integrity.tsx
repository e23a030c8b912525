import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ConsoleIntegrityDocument, type ConsoleIntegrityQuery } from '../api/generated';
import { useT } from '../shared/i18n';
import { errorText } from '../shared/ui';
import type { ConsoleCtx } from './console';
import { utc } from './csv';

type Integrity = ConsoleIntegrityQuery['auditIntegrity'];

/** Verifies the hash chain and the latest signed checkpoint each time the tab opens (and on demand). */
export function IntegrityView(props: { ctx: ConsoleCtx; setAlert: (t: string) => void }) {
  const t = useT();
  const [i, setI] = useState<Integrity | null>(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setI(null);
    try {
      setI((await props.ctx.gql(ConsoleIntegrityDocument)).auditIntegrity);
    } catch (e) {
      props.setAlert(errorText(t, e));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    void verify();
  }, []);
  const dl = (pairs: [string, ComponentChildren][]) => (
    <dl class="facts">{pairs.map(([k, v]) => [<dt key={`${k}t`}>{k}</dt>, <dd key={`${k}d`}>{v}</dd>])}</dl>
  );
  const yes = (ok: boolean, good: string, bad: string) => <span class={`chip ${ok ? 'ok' : 'bad'}`}>{t.t(ok ? good : bad)}</span>;
  const cp = i?.latestCheckpoint;
  return (
    <section id="view-integrity" class="panel">
      <div class="results-head">
        <h2>{t.t('audit.integrityTitle')}</h2>
        <button type="button" id="verify" disabled={busy} onClick={verify}>
          {t.t('audit.verifyAgain')}
        </button>
      </div>
      <div id="integrity">
        {busy ? <p class="muted">{t.t('audit.verifying')}</p> : null}
        {i ? (
          <>
            <div class={`verdict ${i.verified ? 'ok' : 'bad'}`}>
              <strong>{t.t(i.verified ? 'audit.intact' : 'audit.notIntact')}</strong>
              <span>
                {' — '}
                {i.verified ? t.t('audit.verifiedCount', { count: i.eventsChecked }) : t.t('audit.problemCount', { count: i.problemCount })}
              </span>
            </div>
            <h3>{t.t('audit.chain')}</h3>
            {dl([
              [t.t('audit.eventsChecked'), t.number(i.eventsChecked)],
              [t.t('audit.headPosition'), i.headPosition],
              [t.t('audit.headHash'), <span class="mono">{i.headHash}</span>],
              [t.t('audit.pending'), t.t('audit.pendingValue', { count: i.pendingEvents })],
              [t.t('audit.checkedAt'), t.t('audit.checkedAtValue', { when: utc(i.checkedAt), ms: i.durationMs })],
            ])}
            {i.firstBadEvent || i.problems.length ? (
              <>
                <h3>{t.t('audit.problems')}</h3>
                <ol class="problems">
                  {i.problems.map((p, k) => (
                    <li key={k}>
                      <strong>{p.kind}</strong>
                      {p.eventId ? ` ${t.t('audit.problemEvent', { id: p.eventId })}` : ''}
                      {p.position ? ` ${t.t('audit.problemPosition', { position: p.position })}` : ''}: {p.detail}
                    </li>
                  ))}
                </ol>
              </>
            ) : null}
            <h3>{t.t('audit.latestCheckpoint')}</h3>
            {!cp ? (
              <p class="muted">{t.t('audit.noCheckpoint')}</p>
            ) : (
              dl([
                [t.t('audit.cp.position'), cp.position],
                [t.t('audit.cp.hash'), <span class="mono">{cp.hash}</span>],
                [t.t('audit.cp.signedAt'), `${utc(cp.signedAt)} UTC`],
                [t.t('audit.cp.key'), <span class="mono">{cp.keyId}</span>],
                [t.t('audit.cp.signature'), yes(cp.signatureValid, 'audit.cp.valid', 'audit.cp.invalid')],
                [t.t('audit.cp.trusted'), yes(cp.trustedKey, 'audit.cp.trustedYes', 'audit.cp.unknownKey')],
                [t.t('audit.cp.matches'), yes(cp.chainMatches, 'audit.cp.matchesYes', 'audit.cp.differs')],
              ])
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}
