import { useEffect, useState } from 'preact/hooks';
import {
  ConsoleEventsDocument,
  type AuditAction,
  type AuditEventFilter,
  type AuditOutcome,
  type DisclosureBasisKind,
} from '../api/generated';
import { useT } from '../shared/i18n';
import { errorText } from '../shared/ui';
import { BASIS_KINDS, BasisCell, hasRef } from './basis';
import type { ConsoleCtx } from './console';
import { CSV_HEADER, csvLine, download, shortId, utc, UUID, type AuditEventRow } from './csv';

const ACTIONS: AuditAction[] = ['READ', 'CREATE', 'UPDATE', 'DELETE', 'DENY'];
const OUTCOMES: AuditOutcome[] = ['SUCCESS', 'DENIED', 'NOT_FOUND', 'CONFLICT', 'INVALID', 'ERROR', 'REPLAYED'];
const EXPORT_PAGE = 100;
const EXPORT_LIMIT = 100000;

interface Form {
  returneeId: string;
  staffId: string;
  agencyId: string;
  action: string;
  outcome: string;
  from: string;
  to: string;
  first: string;
  hideOwn: boolean;
  /** A disclosure basis kind, and optionally the consent, agreement or break-glass it names. */
  basis: string;
  basisRef: string;
}
const EMPTY: Form = {
  returneeId: '',
  staffId: '',
  agencyId: '',
  action: '',
  outcome: '',
  from: '',
  to: '',
  first: '50',
  hideOwn: false,
  basis: '',
  basisRef: '',
};
/** What a link or another view may narrow the events to. */
export interface Narrow {
  returneeId?: string;
  staffId?: string;
  agencyId?: string;
  basis?: DisclosureBasisKind;
  basisRef?: string;
  reset?: boolean;
  n: number;
}

interface PageState {
  filter: AuditEventFilter;
  first: number;
  hideOwn: boolean;
  cursors: (string | null | undefined)[];
  page: number;
  total: number;
  rows: AuditEventRow[];
}

export function EventsView(props: { ctx: ConsoleCtx; narrow: Narrow; onReport: (id: string) => void; setAlert: (t: string) => void }) {
  const t = useT();
  const { ctx } = props;
  const [form, setForm] = useState<Form>(EMPTY);
  const [state, setState] = useState<PageState | null>(null);
  const [busy, setBusy] = useState(false);
  const [exportStatus, setExportStatus] = useState('');

  function readFilter(f: Form): AuditEventFilter {
    const filter: AuditEventFilter = {};
    for (const key of ['returneeId', 'staffId'] as const) {
      const v = f[key].trim();
      if (!v) continue;
      if (!UUID.test(v)) throw new Error(t.t(key === 'returneeId' ? 'audit.badReturneeId' : 'audit.badStaffId', { value: v }));
      filter[key] = v;
    }
    if (f.agencyId) filter.agencyId = f.agencyId;
    if (f.action) filter.actions = [f.action as AuditAction];
    if (f.outcome) filter.outcomes = [f.outcome as AuditOutcome];
    for (const key of ['from', 'to'] as const)
      if (f[key]) filter[key] = new Date(`${f[key].length === 16 ? `${f[key]}:00` : f[key]}Z`).toISOString();
    if (filter.from && filter.to && filter.from >= filter.to) throw new Error(t.t('audit.badRange'));
    if (f.basis) filter.basis = f.basis as DisclosureBasisKind;
    const ref = f.basisRef.trim();
    if (ref) {
      if (!f.basis || !hasRef(f.basis as DisclosureBasisKind)) throw new Error(t.t('audit.basisRefNeedsKind'));
      if (!UUID.test(ref)) throw new Error(t.t('audit.badBasisRef', { value: ref }));
      filter.basisRef = ref;
    }
    return filter;
  }

  /** One page of the API (own reads left out by the API itself when hidden, count included). */
  async function fetchPage(filter: AuditEventFilter, first: number, after: string | null | undefined, hideOwn: boolean) {
    const { auditEvents } = await ctx.gql(ConsoleEventsDocument, {
      filter: hideOwn ? { ...filter, hideOwnReads: true } : filter,
      first,
      after,
    });
    return {
      rows: auditEvents.edges.map((e) => e.node),
      next: auditEvents.pageInfo.hasNextPage ? auditEvents.pageInfo.endCursor : undefined,
      total: auditEvents.totalCount,
    };
  }

  async function load(s: Omit<PageState, 'rows' | 'total'>, total?: number) {
    setBusy(true);
    try {
      const page = await fetchPage(s.filter, s.first, s.cursors[s.page], s.hideOwn);
      const cursors = [...s.cursors];
      cursors[s.page + 1] = page.next;
      props.setAlert('');
      setState({ ...s, cursors, rows: page.rows, total: total ?? page.total });
    } catch (e) {
      props.setAlert(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  async function search(f = form) {
    let filter: AuditEventFilter;
    try {
      filter = readFilter(f);
    } catch (e) {
      return props.setAlert((e as Error).message);
    }
    await load({ filter, first: Number(f.first) || 50, hideOwn: f.hideOwn, cursors: [null], page: 0 });
  }

  useEffect(() => {
    void search();
  }, []);
  // Narrowing from a link (a person, an agency) or from a report: set the field(s) and search.
  useEffect(() => {
    if (!props.narrow.n) return;
    const { returneeId, staffId, agencyId, basis, basisRef, reset } = props.narrow;
    const next = {
      ...(reset ? EMPTY : form),
      ...(returneeId ? { returneeId } : {}),
      ...(staffId ? { staffId } : {}),
      ...(agencyId ? { agencyId } : {}),
      ...(basis ? { basis, basisRef: basisRef ?? '' } : {}),
    };
    setForm(next);
    void (agencyId ? ctx.loadAgencies() : Promise.resolve()).then(() => search(next));
  }, [props.narrow.n]);

  function describe(filter: AuditEventFilter): string {
    const parts: string[] = [];
    if (filter.returneeId) parts.push(t.t('audit.describe.returnee', { id: shortId(String(filter.returneeId)) }));
    if (filter.staffId) parts.push(t.t('audit.describe.staff', { id: shortId(String(filter.staffId)) }));
    if (filter.agencyId) parts.push(ctx.agencies?.find((a) => a.id === filter.agencyId)?.code ?? t.t('audit.describe.oneAgency'));
    if (filter.actions) parts.push(filter.actions.join(', '));
    if (filter.outcomes) parts.push(filter.outcomes.join(', '));
    if (filter.from) parts.push(t.t('audit.describe.from', { when: utc(filter.from) }));
    if (filter.to) parts.push(t.t('audit.describe.to', { when: utc(filter.to) }));
    if (filter.basis)
      parts.push(t.t('audit.describe.basis', { kind: filter.basis, ref: filter.basisRef ? shortId(String(filter.basisRef)) : '' }));
    if (state?.hideOwn) parts.push(t.t('audit.describe.ownHidden'));
    return parts.length ? parts.join(' · ') : t.t('audit.describe.all');
  }

  async function exportCsv() {
    if (!state) return;
    const lines = [CSV_HEADER];
    setBusy(true);
    try {
      let after: string | null | undefined = null;
      do {
        const page = await fetchPage(state.filter, EXPORT_PAGE, after, state.hideOwn);
        for (const e of page.rows) lines.push(csvLine(e));
        setExportStatus(t.t('audit.exporting', { done: lines.length - 1, total: page.total }));
        after = page.next;
        if (lines.length - 1 >= EXPORT_LIMIT && after) throw new Error(t.t('audit.exportTooLarge', { limit: EXPORT_LIMIT }));
      } while (after);
      download(lines);
      setExportStatus(t.t('audit.exported', { count: lines.length - 1, filter: describe(state.filter) }));
    } catch (e) {
      setExportStatus('');
      props.setAlert(t.t('audit.exportFailed', { message: errorText(t, e) }));
    } finally {
      setBusy(false);
    }
  }

  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const start = state ? state.page * state.first : 0;
  const field = (id: string, label: string, input: preact.ComponentChildren) => (
    <div class="field">
      <label for={id}>{label}</label>
      {input}
    </div>
  );
  return (
    <section id="view-events" class="panel">
      <form
        id="filter-form"
        class="filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void search();
        }}
      >
        {field(
          'f-returnee',
          t.t('audit.f.returnee'),
          <input
            id="f-returnee"
            name="returneeId"
            type="text"
            placeholder="UUID"
            autoComplete="off"
            spellcheck={false}
            value={form.returneeId}
            onInput={(e) => set({ returneeId: e.currentTarget.value })}
          />,
        )}
        {field(
          'f-staff',
          t.t('audit.f.staff'),
          <input
            id="f-staff"
            name="staffId"
            type="text"
            placeholder={t.t('audit.f.staffPlaceholder')}
            autoComplete="off"
            spellcheck={false}
            value={form.staffId}
            onInput={(e) => set({ staffId: e.currentTarget.value })}
          />,
        )}
        {field(
          'f-agency',
          t.t('audit.f.agency'),
          <select
            id="f-agency"
            name="agencyId"
            value={form.agencyId}
            onFocus={() => ctx.loadAgencies()}
            onMouseDown={() => ctx.loadAgencies()}
            onKeyDown={() => ctx.loadAgencies()}
            onChange={(e) => set({ agencyId: e.currentTarget.value })}
          >
            <option value="">{t.t('audit.f.anyAgency')}</option>
            {(ctx.agencies ?? []).map((a) => (
              <option key={a.id} value={a.id}>{`${a.code} — ${a.name}`}</option>
            ))}
          </select>,
        )}
        {field(
          'f-action',
          t.t('audit.f.action'),
          <select id="f-action" name="action" value={form.action} onChange={(e) => set({ action: e.currentTarget.value })}>
            <option value="">{t.t('audit.f.anyAction')}</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a} translate={false}>
                {a}
              </option>
            ))}
          </select>,
        )}
        {field(
          'f-outcome',
          t.t('audit.f.outcome'),
          <select id="f-outcome" name="outcome" value={form.outcome} onChange={(e) => set({ outcome: e.currentTarget.value })}>
            <option value="">{t.t('audit.f.anyOutcome')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o} translate={false}>
                {o}
              </option>
            ))}
          </select>,
        )}
        {field(
          'f-from',
          t.t('audit.f.from'),
          <input
            id="f-from"
            name="from"
            type="datetime-local"
            step={1}
            value={form.from}
            onInput={(e) => set({ from: e.currentTarget.value })}
          />,
        )}
        {field(
          'f-to',
          t.t('audit.f.to'),
          <input id="f-to" name="to" type="datetime-local" step={1} value={form.to} onInput={(e) => set({ to: e.currentTarget.value })} />,
        )}
        {field(
          'f-basis',
          t.t('audit.f.basis'),
          <select id="f-basis" name="basis" value={form.basis} onChange={(e) => set({ basis: e.currentTarget.value })}>
            <option value="">{t.t('audit.f.anyBasis')}</option>
            {BASIS_KINDS.map((k) => (
              <option key={k} value={k} translate={false}>
                {k}
              </option>
            ))}
          </select>,
        )}
        {field(
          'f-basis-ref',
          t.t('audit.f.basisRef'),
          <input
            id="f-basis-ref"
            name="basisRef"
            type="text"
            placeholder="UUID"
            autoComplete="off"
            spellcheck={false}
            value={form.basisRef}
            onInput={(e) => set({ basisRef: e.currentTarget.value })}
          />,
        )}
        {field(
          'f-size',
          t.t('audit.f.size'),
          <select id="f-size" name="first" value={form.first} onChange={(e) => set({ first: e.currentTarget.value })}>
            {['20', '50', '100'].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>,
        )}
        <div class="own-reads">
          <input id="f-hide-own" type="checkbox" checked={form.hideOwn} onChange={(e) => set({ hideOwn: e.currentTarget.checked })} />
          <label for="f-hide-own">{t.t('audit.f.hideOwn')}</label>
        </div>
        <div class="actions">
          <button type="submit" class="primary" id="search" disabled={busy}>
            {t.t('audit.search')}
          </button>
          <button
            type="button"
            id="clear"
            onClick={() => {
              setForm(EMPTY);
              void search(EMPTY);
            }}
          >
            {t.t('audit.clear')}
          </button>
          <button type="button" id="export" disabled={busy || !state} onClick={exportCsv}>
            {t.t('audit.export')}
          </button>
          <span id="export-status" class="muted" aria-live="polite">
            {exportStatus}
          </span>
        </div>
      </form>
      <div class="results-head">
        <h2 id="results-title">
          {state ? t.t('audit.resultsTitle', { count: state.total, filter: describe(state.filter) }) : t.t('audit.tab.events')}
        </h2>
        <div class="pager">
          <button
            type="button"
            id="prev"
            disabled={busy || !state || state.page === 0}
            onClick={() => state && load({ ...state, page: state.page - 1 }, state.total)}
          >
            {t.t('common.previous')}
          </button>
          <span id="page-info" class="muted">
            {state && state.rows.length
              ? t.t('common.pageInfo', { from: start + 1, to: start + state.rows.length, total: state.total })
              : ''}
          </span>
          <button
            type="button"
            id="next"
            disabled={busy || !state?.cursors[state.page + 1]}
            onClick={() => state && load({ ...state, page: state.page + 1 })}
          >
            {t.t('common.next')}
          </button>
        </div>
      </div>
      <EventTable
        rows={state?.rows ?? []}
        onReport={props.onReport}
        onNarrow={(n) => {
          const next = { ...form, ...n };
          setForm(next);
          void (n.agencyId ? ctx.loadAgencies() : Promise.resolve()).then(() => search(next));
        }}
      />
    </section>
  );
}

function EventTable(props: { rows: AuditEventRow[]; onReport: (id: string) => void; onNarrow: (n: Partial<Form>) => void }) {
  const t = useT();
  return (
    <div class="table-wrap">
      {/* Codes (actions, outcomes, sections, field names) are the API's words, shown as the export has them: not translated. */}
      <table id="events" class="events">
        <caption class="visually-hidden">{t.t('audit.tab.events')}</caption>
        <thead>
          <tr>
            {[
              'time',
              'action',
              'outcome',
              'record',
              'staff',
              'agency',
              'sections',
              'fields',
              'basis',
              'purpose',
              'operation',
              'request',
            ].map((c) => (
              <th scope="col" key={c}>
                {t.t(`audit.col.${c}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((e) => (
            <tr key={e.id} class={`outcome-${e.outcome.toLowerCase()}`}>
              <td class="nowrap" title={e.occurredAt}>
                {utc(e.occurredAt)}
              </td>
              <td translate={false}>
                <span class={`chip action-${e.action.toLowerCase()}`}>{e.action}</span>
              </td>
              <td translate={false}>
                <span class={`chip ${e.outcome === 'SUCCESS' ? 'ok' : 'bad'}`}>{e.outcome}</span>
                {e.reason && e.reason !== e.outcome ? <div class="muted small">{e.reason}</div> : null}
              </td>
              <td>
                <div>{e.entityType}</div>
                {e.returnee ? (
                  <div class="small">
                    {t.t('audit.case')}{' '}
                    <button
                      type="button"
                      class="link"
                      data-returnee={e.returnee.id}
                      title={t.t('audit.openReportOf', { id: e.returnee.id })}
                      onClick={() => props.onReport(e.returnee!.id)}
                    >
                      {e.returnee.caseNumber ?? t.t('audit.otherCountry', { id: shortId(e.returnee.id) })}
                    </button>
                  </div>
                ) : null}
              </td>
              <td>
                {e.staff ? (
                  <>
                    <button
                      type="button"
                      class="link"
                      data-staff={e.staff.id}
                      title={t.t('audit.showEventsOf', { who: e.staff.username ?? e.staff.id })}
                      onClick={() => props.onNarrow({ staffId: e.staff!.id })}
                    >
                      {e.staff.displayName ?? e.staff.username ?? shortId(e.staff.id)}
                    </button>
                    {e.staff.username ? <div class="muted small">{e.staff.username}</div> : null}
                  </>
                ) : (
                  <span class="muted">{t.t('audit.theHub')}</span>
                )}
              </td>
              <td>
                {e.agency ? (
                  <button
                    type="button"
                    class="link"
                    data-agency={e.agency.id}
                    title={e.agency.name}
                    onClick={() => props.onNarrow({ agencyId: e.agency!.id })}
                  >
                    {e.agency.code}
                  </button>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td>
                {e.sections.map((s) => (
                  <span key={s} class="chip section">
                    {s}
                  </span>
                ))}
              </td>
              <td class="fields">
                <div class="field-names">
                  {e.fields.map((f, i) => (
                    <span key={f}>
                      {f}
                      {i < e.fields.length - 1 ? ',' : ''}
                    </span>
                  ))}
                </div>
                {e.deniedFields.length ? (
                  <div class="denied small">{t.t('audit.withheld', { fields: e.deniedFields.join(', ') })}</div>
                ) : null}
              </td>
              <td class="basis-cell">
                <BasisCell bases={e.basis} onFollow={(basis, basisRef) => props.onNarrow({ basis, basisRef })} />
              </td>
              <td>{e.purpose ?? <span class="muted">—</span>}</td>
              <td class="mono small">{e.operation ?? ''}</td>
              <td class="mono small" title={e.requestId}>
                {shortId(e.requestId)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.rows.length === 0 ? (
        <p id="events-empty" class="empty">
          {t.t('audit.noEvents')}
        </p>
      ) : null}
    </div>
  );
}
