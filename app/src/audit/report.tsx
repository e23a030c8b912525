import { useEffect, useState } from 'preact/hooks';
import { ConsoleReportDocument, type ConsoleReportQuery, type DisclosureBasisKind } from '../api/generated';
import { useT } from '../shared/i18n';
import { errorText } from '../shared/ui';
import { basisLabel, hasRef } from './basis';
import type { ConsoleCtx } from './console';
import { utc, UUID } from './csv';

type Report = ConsoleReportQuery['disclosureReport'];
type Entry = Report['agencies'][number]['entries'][number];
/** Events of one person, optionally those disclosed on one basis. */
export type ShowEvents = (returneeId: string, basis?: { kind: DisclosureBasisKind; ref?: string | null }) => void;

/** A returnee's disclosure report: by section, then one card per agency with its timeline. */
export function ReportView(props: { ctx: ConsoleCtx; returneeId: string; onEvents: ShowEvents; setAlert: (t: string) => void }) {
  const t = useT();
  const [id, setId] = useState(props.returneeId);
  const [report, setReport] = useState<Report | null>(null);
  const [loading, setLoading] = useState(false);
  async function open(returneeId: string) {
    setReport(null);
    if (!UUID.test(returneeId)) return props.setAlert(t.t('audit.badReturneeId', { value: returneeId }));
    setLoading(true);
    try {
      const { disclosureReport } = await props.ctx.gql(ConsoleReportDocument, { id: returneeId });
      props.setAlert('');
      setReport(disclosureReport);
    } catch (e) {
      props.setAlert((e as { code?: string }).code === 'NOT_FOUND' ? t.t('audit.reportNotFound', { id: returneeId }) : errorText(t, e));
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    setId(props.returneeId);
    if (props.returneeId) void open(props.returneeId);
  }, [props.returneeId]);
  return (
    <section id="view-report" class="panel">
      <form
        id="report-form"
        class="inline"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void open(id.trim());
        }}
      >
        <label for="r-returnee">{t.t('audit.f.returnee')}</label>
        <input
          id="r-returnee"
          name="returneeId"
          type="text"
          placeholder="UUID"
          autoComplete="off"
          spellcheck={false}
          required
          value={id}
          onInput={(e) => setId(e.currentTarget.value)}
        />
        <button type="submit" class="primary">
          {t.t('audit.openReport')}
        </button>
      </form>
      <div id="report">
        {loading ? <p class="muted">{t.t('audit.loadingReport')}</p> : null}
        {report ? <ReportBody r={report} onEvents={props.onEvents} /> : null}
      </div>
    </section>
  );
}

function ReportBody(props: { r: Report; onEvents: ShowEvents }) {
  const t = useT();
  const { r } = props;
  return (
    <>
      <div class="report-head">
        <h2>{t.t('audit.reportTitle', { caseNumber: r.returnee.caseNumber ?? r.returnee.id })}</h2>
        <p class="muted">
          {t.t('audit.reportMeta', { id: r.returnee.id, events: r.eventCount, agencies: r.agencies.length, when: utc(r.generatedAt) })}
        </p>
        <button type="button" class="link" onClick={() => props.onEvents(r.returnee.id)}>
          {t.t('audit.showTheseEvents')}
        </button>
      </div>
      {r.agencies.length === 0 ? (
        <p class="empty">{t.t('audit.nobodyYet')}</p>
      ) : (
        <>
          <BySection r={r} />
          <ByBasis r={r} onEvents={props.onEvents} />
          {r.agencies.map((a, i) => (
            <article class="agency-card" key={a.agency?.id ?? `hub-${i}`}>
              <header>
                <h3>{a.agency ? a.agency.name : t.t('audit.theHubItself')}</h3>
                <div class="muted small">
                  {a.agency ? `${a.agency.code} · ${a.agency.sector} · ${a.agency.country} · ` : ''}
                  {`${utc(a.firstAt)} — ${utc(a.lastAt)} UTC`}
                </div>
                <div class="summary">
                  {a.sectionsRead.length ? (
                    <span>
                      {t.t('audit.read')}{' '}
                      {a.sectionsRead.map((s) => (
                        <span key={s} class="chip section">
                          {s}
                        </span>
                      ))}
                    </span>
                  ) : null}
                  {a.sectionsChanged.length ? (
                    <span>
                      {t.t('audit.changed')}{' '}
                      {a.sectionsChanged.map((s) => (
                        <span key={s} class="chip section changed">
                          {s}
                        </span>
                      ))}
                    </span>
                  ) : null}
                </div>
              </header>
              <ol class="timeline">
                {a.entries.map((e, j) => (
                  <EntryItem key={j} e={e} />
                ))}
              </ol>
            </article>
          ))}
        </>
      )}
    </>
  );
}

function EntryItem({ e }: { e: Entry }) {
  const t = useT();
  const who = e.staff
    ? `${e.staff.displayName ?? e.staff.username} (${e.staff.username ?? e.staff.id.slice(0, 8)})`
    : t.t('audit.theHubShort');
  const when = e.firstAt === e.lastAt ? utc(e.lastAt) : `${utc(e.firstAt)} — ${utc(e.lastAt)}`;
  const auditReview = e.records.length === 1 && e.records[0] === 'AuditEvent';
  const verb = t.t(e.outcome === 'SUCCESS' ? `audit.verb.${e.action}` : `audit.attempt.${e.action}`);
  return (
    <li class={`entry outcome-${e.outcome.toLowerCase()}`}>
      <div class="when mono small">{when} UTC</div>
      <div class="what">
        <strong>{who}</strong>
        {auditReview ? ` ${t.t('audit.reviewedTrail')}` : ` ${verb} `}
        {auditReview ? null : e.sections.length ? (
          e.sections.map((s) => (
            <span key={s} class="chip section">
              {s}
            </span>
          ))
        ) : (
          <span>{t.t('audit.theRecord', { records: e.records.join(', ') })}</span>
        )}
        {e.times > 1 ? <span class="times"> {t.t('audit.times', { count: e.times })}</span> : null}
        {e.outcome !== 'SUCCESS' ? (
          <>
            {' '}
            <span class="chip bad">{t.t(`audit.outcome.${e.outcome}`)}</span>
          </>
        ) : null}
      </div>
      <div class="why small">
        {t.t('audit.purposeLabel')} {e.purpose ? <q>{e.purpose}</q> : <span class="muted">{t.t('audit.noPurpose')}</span>}
      </div>
      {e.fields.length ? (
        <details class="small">
          <summary>{t.t('audit.fieldCount', { count: e.fields.length, records: e.records.join(', ') })}</summary>
          <div class="mono">{e.fields.join(', ')}</div>
        </details>
      ) : null}
    </li>
  );
}

function BySection({ r }: { r: Report }) {
  const t = useT();
  const rows = new Map<string, { read: Set<string>; changed: Set<string>; last: string }>();
  for (const a of r.agencies) {
    const label = a.agency ? a.agency.code : t.t('audit.theHub');
    for (const [list, kind] of [
      [a.sectionsRead, 'read'],
      [a.sectionsChanged, 'changed'],
    ] as const) {
      for (const s of list) {
        if (!rows.has(s)) rows.set(s, { read: new Set(), changed: new Set(), last: '' });
        const row = rows.get(s)!;
        row[kind].add(label);
        if (a.lastAt > row.last) row.last = a.lastAt;
      }
    }
  }
  return (
    <section class="sections-summary">
      <h3>{t.t('audit.bySection')}</h3>
      <table class="by-section">
        <thead>
          <tr>
            <th scope="col">{t.t('audit.col.section')}</th>
            <th scope="col">{t.t('audit.col.readBy')}</th>
            <th scope="col">{t.t('audit.col.changedBy')}</th>
            <th scope="col">{t.t('audit.col.last')}</th>
          </tr>
        </thead>
        <tbody>
          {[...rows.entries()]
            .sort(([x], [y]) => x.localeCompare(y))
            .map(([s, row]) => (
              <tr key={s}>
                <td>
                  <span class="chip section">{s}</span>
                </td>
                <td>{[...row.read].join(', ') || '—'}</td>
                <td>{[...row.changed].join(', ') || '—'}</td>
                <td class="nowrap">{utc(row.last)}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}

/** The reads grouped by their lawful basis: what each consent, agreement, legal duty or emergency opening let through. */
function ByBasis(props: { r: Report; onEvents: ShowEvents }) {
  const t = useT();
  const { r } = props;
  if (r.byBasis.length === 0) return null;
  return (
    <section class="basis-summary">
      <h3>{t.t('audit.byBasis')}</h3>
      <table class="by-basis">
        <thead>
          <tr>
            <th scope="col">{t.t('audit.col.basis')}</th>
            <th scope="col">{t.t('audit.col.sections')}</th>
            <th scope="col">{t.t('audit.col.readBy')}</th>
            <th scope="col">{t.t('audit.col.reads')}</th>
            <th scope="col">{t.t('audit.col.last')}</th>
          </tr>
        </thead>
        <tbody>
          {r.byBasis.map((b) => (
            <tr key={`${b.kind}${b.ref ?? ''}${b.version ?? ''}${b.legalBasis ?? ''}`} class={`basis-${b.kind.toLowerCase()}`}>
              <td>
                <div translate={false}>{basisLabel(b)}</div>
                <div class="muted small">{t.t(`audit.basisKind.${b.kind}`)}</div>
              </td>
              <td>
                {b.sections.map((s) => (
                  <span key={s} class="chip section">
                    {s}
                  </span>
                ))}
              </td>
              <td>{b.agencies.map((a) => a.code).join(', ') || '—'}</td>
              <td>
                <button
                  type="button"
                  class="link"
                  data-basis-kind={b.kind}
                  title={t.t('audit.showBasisEvents')}
                  onClick={() => props.onEvents(r.returnee.id, { kind: b.kind, ref: hasRef(b.kind) ? b.ref : null })}
                >
                  {t.t('audit.times', { count: b.times })}
                </button>
              </td>
              <td class="nowrap">{utc(b.lastAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
