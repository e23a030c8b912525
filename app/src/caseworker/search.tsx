import { useState } from 'preact/hooks';
import { FindReturneesDocument, type FindReturneesQuery, type ReturneeFilter, type ReturneeStatus } from '../api/generated';
import { useT } from '../shared/i18n';
import { Alert, Bdi, errorText, Field, valueOf } from '../shared/ui';
import { useApp } from './context';
import { ValueOrHidden } from './hidden';

type Row = FindReturneesQuery['returnees']['nodes'][number];
const STATUSES: ReturneeStatus[] = ['IN_REHABILITATION', 'RESETTLED', 'IN_CARE', 'TRANSFERRED', 'CLOSED'];

interface SearchState {
  form: { search: string; status: string; isMinor: string; region: string; followUpNeeded: boolean; first: number };
  result?: { total: number; rows: Row[]; cursors: (string | null | undefined)[]; page: number; filter: ReturneeFilter };
}

const EMPTY: SearchState = { form: { search: '', status: '', isMinor: '', region: '', followUpNeeded: false, first: 25 } };

/**
 * Find a person: the `returnees` connection's filters (only those on sections the caller may
 * read: a filter on a field you cannot read is FORBIDDEN), cursor paging and the total in scope.
 * Nothing is listed until the user searches: each record listed is a read in the audit trail.
 */
export function SearchScreen() {
  const t = useT();
  const { gql, me, memory } = useApp();
  const [state, setStateRaw] = useState<SearchState>(() => (memory.get('search') as SearchState) ?? EMPTY);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const setState = (s: SearchState) => {
    memory.set('search', s);
    setStateRaw(s);
  };
  const f = state.form;
  const reads = (s: string) => me.readableSections.includes(s as never);

  async function load(filter: ReturneeFilter, cursors: (string | null | undefined)[], page: number, form = f) {
    setBusy(true);
    setError(null);
    try {
      const { returnees } = await gql(FindReturneesDocument, { filter, first: form.first, after: cursors[page] ?? null });
      const next = [...cursors];
      next[page + 1] = returnees.pageInfo.hasNextPage ? returnees.pageInfo.endCursor : undefined;
      setState({ form, result: { total: returnees.totalCount, rows: returnees.nodes, cursors: next, page, filter } });
    } catch (e) {
      setError(errorText(t, e));
    } finally {
      setBusy(false);
    }
  }

  const submit = (e: Event) => {
    e.preventDefault();
    const filter: ReturneeFilter = {};
    if (f.search.trim()) filter.search = f.search.trim();
    if (f.status) filter.status = f.status as ReturneeStatus;
    if (f.isMinor) filter.isMinor = f.isMinor === 'yes';
    if (f.region.trim()) filter.region = f.region.trim();
    if (f.followUpNeeded) filter.followUpNeeded = true;
    void load(filter, [null], 0);
  };
  const setForm = (patch: Partial<SearchState['form']>) => setState({ ...state, form: { ...f, ...patch } });
  const r = state.result;
  const start = r ? r.page * f.first : 0;

  return (
    <section class="panel" aria-labelledby="find-title">
      <h1 id="find-title">{t.t('app.find.title')}</h1>
      <form id="find-form" class="filters" role="search" noValidate onSubmit={submit}>
        {reads('IDENTITY') ? (
          <Field id="f-search" label={t.t('app.find.search')} hint={t.t('app.find.searchHint')}>
            {(a) => <input {...a} type="search" value={f.search} onInput={(e) => setForm({ search: valueOf(e) })} />}
          </Field>
        ) : null}
        {reads('IDENTITY') ? (
          <Field id="f-status" label={t.t('app.field.status')}>
            {(a) => (
              <select {...a} value={f.status} onChange={(e) => setForm({ status: valueOf(e) })}>
                <option value="">{t.t('app.find.any')}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t.t(`common.enum.ReturneeStatus.${s}`)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {reads('IDENTITY') ? (
          <Field id="f-minor" label={t.t('app.field.isMinor')}>
            {(a) => (
              <select {...a} value={f.isMinor} onChange={(e) => setForm({ isMinor: valueOf(e) })}>
                <option value="">{t.t('app.find.any')}</option>
                <option value="yes">{t.t('common.yes')}</option>
                <option value="no">{t.t('common.no')}</option>
              </select>
            )}
          </Field>
        ) : null}
        {reads('CONTACT') ? (
          <Field id="f-region" label={t.t('app.field.region')}>
            {(a) => <input {...a} type="text" value={f.region} onInput={(e) => setForm({ region: valueOf(e) })} />}
          </Field>
        ) : null}
        <Field id="f-size" label={t.t('app.find.pageSize')}>
          {(a) => (
            <select {...a} value={String(f.first)} onChange={(e) => setForm({ first: Number(valueOf(e)) })}>
              {[10, 25, 50].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          )}
        </Field>
        {reads('HEALTH_FLAGS') ? (
          <div class="check">
            <input
              id="f-follow-up"
              type="checkbox"
              checked={f.followUpNeeded}
              onChange={(e) => setForm({ followUpNeeded: e.currentTarget.checked })}
            />
            <label for="f-follow-up">{t.t('app.find.followUpOnly')}</label>
          </div>
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" id="find" disabled={busy}>
            {t.t('app.find.submit')}
          </button>
        </div>
      </form>
      {error ? <Alert>{error}</Alert> : null}
      {r ? (
        <>
          <div class="results-head">
            <h2 id="results-title" aria-live="polite">
              {t.t('app.find.total', { count: r.total })}
            </h2>
            <div class="pager">
              <button type="button" id="prev" disabled={busy || r.page === 0} onClick={() => load(r.filter, r.cursors, r.page - 1)}>
                {t.t('common.previous')}
              </button>
              <span id="page-info" class="muted">
                {r.rows.length ? t.t('common.pageInfo', { from: start + 1, to: start + r.rows.length, total: r.total }) : ''}
              </span>
              <button
                type="button"
                id="next"
                disabled={busy || !r.cursors[r.page + 1]}
                onClick={() => load(r.filter, r.cursors, r.page + 1)}
              >
                {t.t('common.next')}
              </button>
            </div>
          </div>
          {r.rows.length === 0 ? (
            <p class="empty">{t.t('app.find.none')}</p>
          ) : (
            <div class="table-wrap">
              <table id="results">
                <caption class="visually-hidden">{t.t('app.find.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t.t('app.field.caseNumber')}</th>
                    <th scope="col">{t.t('app.find.name')}</th>
                    <th scope="col">{t.t('app.field.dateOfBirth')}</th>
                    <th scope="col">{t.t('app.field.status')}</th>
                    <th scope="col">{t.t('app.field.region')}</th>
                    <th scope="col">{t.t('app.field.followUpNeeded')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.rows.map((row) => (
                    <tr key={row.id} data-returnee={row.id}>
                      <td>
                        <a href={`#/record/${row.id}`} class="case-link">
                          {row.caseNumber}
                        </a>
                      </td>
                      <td>
                        <ValueOrHidden
                          field="givenName"
                          record={row}
                          value={row.givenName}
                          short
                          render={() => <Bdi>{[row.givenName, row.patronymic, row.familyName].filter(Boolean).join(' ')}</Bdi>}
                        />
                        {row.otherNames?.length ? (
                          <div class="muted small">
                            <Bdi>{row.otherNames.join(' · ')}</Bdi>
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <ValueOrHidden
                          field="dateOfBirth"
                          record={row}
                          value={row.dateOfBirth}
                          short
                          render={(d) => `${t.date(String(d))}${row.dateOfBirthEstimated ? ` ${t.t('app.value.estimated')}` : ''}`}
                        />
                      </td>
                      <td>
                        <ValueOrHidden
                          field="status"
                          record={row}
                          value={row.status}
                          short
                          render={(s) => t.t(`common.enum.ReturneeStatus.${s}`)}
                        />
                      </td>
                      <td>
                        <ValueOrHidden field="region" record={row} value={row.region} short />
                      </td>
                      <td>
                        <ValueOrHidden
                          field="followUpNeeded"
                          record={row}
                          value={row.followUpNeeded}
                          short
                          render={(v) => t.t(v ? 'common.yes' : 'common.no')}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : (
        <p class="muted">{t.t('app.find.prompt')}</p>
      )}
    </section>
  );
}
