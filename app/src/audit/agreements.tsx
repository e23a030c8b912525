import { useEffect, useState } from 'preact/hooks';
import { ConsoleAgreementsDocument, ConsoleCountDocument, type ConsoleAgreementsQuery } from '../api/generated';
import { useT } from '../shared/i18n';
import { errorText } from '../shared/ui';
import type { ConsoleCtx } from './console';
import { shortId } from './csv';

type Agreement = ConsoleAgreementsQuery['sharingAgreements'][number];

/**
 * Data-sharing agreements as an auditor sees them (docs/disclosure-basis.md): who shares which
 * sections with whom, valid when, and — on demand — how many disclosures each one let through,
 * with a link to those events (the trail's basis index, `basis: AGREEMENT, basisRef: id`).
 * Counting is a read of the trail, so it is asked for, not run for every row on opening.
 */
export function AgreementsView(props: { ctx: ConsoleCtx; onDisclosures: (agreementId: string) => void; setAlert: (t: string) => void }) {
  const t = useT();
  const [list, setList] = useState<Agreement[] | null>(null);
  const [counts, setCounts] = useState<Record<string, number | 'loading'>>({});
  useEffect(() => {
    props.ctx
      .gql(ConsoleAgreementsDocument)
      .then((d) => setList(d.sharingAgreements))
      .catch((e: unknown) => props.setAlert(errorText(t, e)));
  }, []);
  async function count(id: string) {
    setCounts((c) => ({ ...c, [id]: 'loading' }));
    try {
      const { auditEvents } = await props.ctx.gql(ConsoleCountDocument, { filter: { basis: 'AGREEMENT', basisRef: id } });
      setCounts((c) => ({ ...c, [id]: auditEvents.totalCount }));
    } catch (e) {
      setCounts((c) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== id)));
      props.setAlert(errorText(t, e));
    }
  }
  const recipient = (a: Agreement) =>
    a.recipientAgency
      ? `${a.recipientAgency.code} — ${a.recipientAgency.name}`
      : `${a.recipientSector ?? ''} · ${a.recipientCountry ?? ''}`;
  return (
    <section id="view-agreements" class="panel">
      <h2>{t.t('audit.agreementsTitle')}</h2>
      <p class="muted">{t.t('audit.agreementsIntro')}</p>
      {list === null ? <p class="muted">{t.t('audit.loadingAgreements')}</p> : null}
      {list && list.length === 0 ? (
        <p id="agreements-empty" class="empty">
          {t.t('audit.noAgreements')}
        </p>
      ) : null}
      {list && list.length ? (
        <div class="table-wrap">
          <table id="agreements" class="events">
            <thead>
              <tr>
                {['document', 'holder', 'recipient', 'sections', 'validity', 'status', 'disclosures'].map((c) => (
                  <th scope="col" key={c}>
                    {t.t(`audit.agreement.${c}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {list.map((a) => {
                const n = counts[a.id];
                return (
                  <tr key={a.id} data-agreement={a.id}>
                    <td>
                      <div translate={false}>{a.documentRef}</div>
                      <div class="muted small mono" title={a.id}>
                        {`${shortId(a.id)} v${a.version}`}
                      </div>
                    </td>
                    <td>{`${a.holder.code} — ${a.holder.name}`}</td>
                    <td>{recipient(a)}</td>
                    <td>
                      {a.sections.map((s) => (
                        <span key={s} class="chip section">
                          {s}
                        </span>
                      ))}
                    </td>
                    <td class="nowrap">{`${a.validFrom} — ${a.validUntil ?? '…'}`}</td>
                    <td>
                      <span class={`chip ${a.active ? 'ok' : 'bad'}`}>
                        {t.t(
                          a.active ? 'audit.agreement.active' : a.suspendedAt ? 'audit.agreement.suspended' : 'audit.agreement.inactive',
                        )}
                      </span>
                    </td>
                    <td>
                      {typeof n === 'number' ? (
                        <button
                          type="button"
                          class="link disclosures"
                          data-agreement-events={a.id}
                          onClick={() => props.onDisclosures(a.id)}
                        >
                          {t.t('audit.times', { count: n })}
                        </button>
                      ) : (
                        <button
                          type="button"
                          class="count"
                          disabled={n === 'loading'}
                          data-agreement-count={a.id}
                          onClick={() => count(a.id)}
                        >
                          {t.t('audit.agreement.count')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
