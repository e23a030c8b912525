/*
 * Auditor console of the Returnee Reintegration Hub.
 *
 * Plain browser JavaScript, no build step. It uses only the public GraphQL API (POST /graphql)
 * with the auditor's own bearer token and declared purpose of use, so everything it shows is
 * exactly what the API lets that auditor see, and each of its reads is itself audited.
 * The token is kept in sessionStorage: it lives as long as this tab. All text from the server
 * is put into the page with textContent, never as HTML.
 */
'use strict';

(function () {
  const STORE = 'hub-audit-console';
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  const EXPORT_PAGE = 100;
  const EXPORT_LIMIT = 100000;

  const EVENT_FIELDS = `id occurredAt requestId action outcome reason entityType entityId
    returnee { id caseNumber } staff { id username displayName } agency { id code name sector country }
    fields deniedFields sections purpose operation chainPosition`;

  const Q = {
    me: `query ConsoleMe { me { staff { id username displayName roles agency { code name sector country } } canReadAuditTrail } }`,
    agencies: `query ConsoleAgencies { agencies { id code name sector country } }`,
    events: `query ConsoleEvents($filter: AuditEventFilter, $first: Int!, $after: String) {
      auditEvents(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } nodes { ${EVENT_FIELDS} } } }`,
    report: `query ConsoleReport($id: ID!) { disclosureReport(returneeId: $id) {
      returnee { id caseNumber } generatedAt eventCount
      agencies { agency { id code name sector country } sectionsRead sectionsChanged firstAt lastAt
        entries { staff { id username displayName } action outcome purpose sections records fields times firstAt lastAt } } } }`,
    integrity: `query ConsoleIntegrity { auditIntegrity {
      verified eventsChecked headPosition headHash pendingEvents problemCount checkedAt durationMs
      firstBadEvent { kind eventId position checkpointId detail }
      problems { kind eventId position checkpointId detail }
      latestCheckpoint { id position hash signedAt keyId signatureValid trustedKey chainMatches } } }`,
  };

  // ---------- small DOM helpers ----------
  const $ = (sel) => document.querySelector(sel);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }
  const clear = (node) => { while (node.firstChild) node.removeChild(node.firstChild); return node; };
  const chip = (text, cls) => el('span', { class: `chip ${cls || ''}` }, text);
  const utc = (iso) => (iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '') : '');
  const shortId = (id) => (id ? id.slice(0, 8) : '');

  function showAlert(message, kind) {
    const box = $('#alert');
    box.textContent = message;
    box.className = `alert ${kind || 'error'}`;
    box.hidden = !message;
  }

  // ---------- session ----------
  const session = {
    get() { try { return JSON.parse(sessionStorage.getItem(STORE) || 'null'); } catch { return null; } },
    set(v) { sessionStorage.setItem(STORE, JSON.stringify(v)); },
    clear() { sessionStorage.removeItem(STORE); },
  };

  class ApiError extends Error {
    constructor(message, code) { super(message); this.code = code; }
  }

  /** POST /graphql with the auditor's token and purpose; throws the first error the hub returns. */
  async function gql(query, variables, creds) {
    const s = creds || session.get();
    if (!s) throw new ApiError('Sign in first.', 'UNAUTHENTICATED');
    let res;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}`, 'x-purpose-of-use': s.purpose },
        body: JSON.stringify({ query, variables: variables || {} }),
        credentials: 'omit',
      });
    } catch (e) {
      throw new ApiError('The hub cannot be reached. Check your connection and try again.', 'NETWORK');
    }
    let body;
    try { body = await res.json(); } catch { throw new ApiError(`The hub answered HTTP ${res.status} without a GraphQL response.`, 'HTTP'); }
    if (body.errors && body.errors.length) {
      const first = body.errors[0];
      const code = (first.extensions && first.extensions.code) || 'ERROR';
      if (code === 'UNAUTHENTICATED' && !creds) signOut(`Signed out: ${first.message}`);
      throw new ApiError(first.message, code);
    }
    return body.data;
  }

  // ---------- sign in / out ----------
  async function signIn(token, purpose) {
    const creds = { token: token.trim().replace(/^Bearer\s+/i, ''), purpose: purpose.trim() };
    if (!creds.token) return showAlert('Paste your bearer token to sign in.');
    if (!creds.purpose) return showAlert('Say why you are reviewing the trail: it is recorded with every search.');
    let me;
    try {
      me = (await gql(Q.me, {}, creds)).me;
    } catch (e) {
      return showAlert(`Sign-in refused: ${e.message}`);
    }
    if (!me.canReadAuditTrail) {
      session.clear();
      $('#token').value = '';
      const a = me.staff.agency;
      return showAlert(`Access refused: this console is for auditors. ${me.staff.displayName} (${me.staff.username}, ` +
        `${me.staff.roles.join(', ')} at ${a.name}, ${a.sector}) may not read the audit trail under the ${a.sector} policy.`, 'refusal');
    }
    session.set({ ...creds, me });
    showAlert('');
    await enterApp();
  }

  function signOut(message) {
    session.clear();
    agenciesLoading = null;
    while ($('#f-agency').options.length > 1) $('#f-agency').remove(1);
    state.cursors = [null];
    $('#app').hidden = true;
    $('#whoami').hidden = true;
    $('#sign-in').hidden = false;
    $('#token').value = '';
    clear($('#events tbody'));
    clear($('#report'));
    clear($('#integrity'));
    showAlert(message || '', 'info');
  }

  async function enterApp() {
    const s = session.get();
    const a = s.me.staff.agency;
    $('#whoami-text').textContent = `${s.me.staff.displayName} (${s.me.staff.username}) · ${a.name} · ${a.country}`;
    $('#whoami').hidden = false;
    $('#sign-in').hidden = true;
    $('#app').hidden = false;
    if (s.agencies) loadAgencies();
    show('events');
    await search();
  }

  /**
   * The agency list for the filter, read the first time the auditor opens that menu and kept
   * with the session: every agency read is itself an audit event, so signing in does not add
   * a screenful of directory reads to the trail.
   */
  let agenciesLoading = null;
  function loadAgencies() {
    const s = session.get();
    if (!s) return Promise.resolve();
    agenciesLoading = agenciesLoading || (async () => {
      const agencies = s.agencies || (await gql(Q.agencies)).agencies;
      session.set({ ...session.get(), agencies });
      const select = $('#f-agency');
      const chosen = select.value;
      while (select.options.length > 1) select.remove(1);
      for (const ag of agencies.slice().sort((x, y) => x.code.localeCompare(y.code))) {
        select.append(el('option', { value: ag.id }, `${ag.code} — ${ag.name}`));
      }
      select.value = chosen;
    })().catch((e) => {
      agenciesLoading = null;
      showAlert(`Could not load the agency list: ${e.message}`);
    });
    return agenciesLoading;
  }

  // ---------- views ----------
  function show(view) {
    for (const tab of document.querySelectorAll('.tab')) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
    for (const v of ['events', 'report', 'integrity']) $(`#view-${v}`).hidden = v !== view;
    if (view === 'integrity') verify();
  }

  // ---------- audit events ----------
  const state = { filter: {}, first: 50, cursors: [null], page: 0, total: 0 };

  /** The form as an AuditEventFilter; throws with a message a person can act on. */
  function readFilter() {
    const f = new FormData($('#filter-form'));
    const filter = {};
    for (const key of ['returneeId', 'staffId']) {
      const v = String(f.get(key) || '').trim();
      if (!v) continue;
      if (!UUID.test(v)) throw new ApiError(`${key === 'returneeId' ? 'Returnee id' : 'Staff id'} must be a UUID such as 3f2b…-…; "${v}" is not one.`, 'BAD_USER_INPUT');
      filter[key] = v;
    }
    if (f.get('agencyId')) filter.agencyId = String(f.get('agencyId'));
    if (f.get('action')) filter.actions = [String(f.get('action'))];
    if (f.get('outcome')) filter.outcomes = [String(f.get('outcome'))];
    for (const key of ['from', 'to']) {
      const v = String(f.get(key) || '');
      if (v) filter[key] = new Date(`${v.length === 16 ? `${v}:00` : v}Z`).toISOString();
    }
    if (filter.from && filter.to && filter.from >= filter.to) throw new ApiError('"From" must be before "To".', 'BAD_USER_INPUT');
    return { filter, first: Number(f.get('first')) || 50 };
  }

  async function search() {
    try {
      const { filter, first } = readFilter();
      state.filter = filter;
      state.first = first;
      state.cursors = [null];
      state.page = 0;
      showAlert('');
      await loadPage();
    } catch (e) {
      showAlert(e.message);
    }
  }

  async function loadPage() {
    const after = state.cursors[state.page];
    $('#search').disabled = true;
    try {
      const { auditEvents } = await gql(Q.events, { filter: state.filter, first: state.first, after });
      state.total = auditEvents.totalCount;
      state.cursors[state.page + 1] = auditEvents.pageInfo.hasNextPage ? auditEvents.pageInfo.endCursor : undefined;
      renderEvents(auditEvents.nodes);
    } catch (e) {
      showAlert(e.message);
    } finally {
      $('#search').disabled = false;
    }
  }

  function describeFilter(filter) {
    const parts = [];
    if (filter.returneeId) parts.push(`returnee ${shortId(filter.returneeId)}`);
    if (filter.staffId) parts.push(`staff ${shortId(filter.staffId)}`);
    if (filter.agencyId) {
      const opt = $(`#f-agency option[value="${filter.agencyId}"]`);
      parts.push(opt ? opt.textContent.split(' — ')[0] : 'one agency');
    }
    if (filter.actions) parts.push(filter.actions.join(', '));
    if (filter.outcomes) parts.push(filter.outcomes.join(', '));
    if (filter.from) parts.push(`from ${utc(filter.from)}`);
    if (filter.to) parts.push(`to ${utc(filter.to)}`);
    return parts.length ? parts.join(' · ') : 'all events';
  }

  function renderEvents(nodes) {
    const body = clear($('#events tbody'));
    const start = state.page * state.first;
    $('#results-title').textContent = `${state.total.toLocaleString('en')} event${state.total === 1 ? '' : 's'} — ${describeFilter(state.filter)}`;
    $('#page-info').textContent = nodes.length ? `${start + 1}–${start + nodes.length} of ${state.total.toLocaleString('en')}` : '';
    $('#prev').disabled = state.page === 0;
    $('#next').disabled = !state.cursors[state.page + 1];
    $('#events-empty').hidden = nodes.length > 0;
    for (const e of nodes) {
      const returnee = e.returnee
        ? el('button', { type: 'button', class: 'link', title: `Open the disclosure report of ${e.returnee.id}`, dataset: { returnee: e.returnee.id } },
          e.returnee.caseNumber || `(other country) ${shortId(e.returnee.id)}`)
        : null;
      const staff = e.staff
        ? el('button', { type: 'button', class: 'link', title: `Show events of ${e.staff.username || e.staff.id}`, dataset: { staff: e.staff.id } },
          e.staff.displayName || e.staff.username || shortId(e.staff.id))
        : el('span', { class: 'muted' }, 'the hub');
      const agency = e.agency
        ? el('button', { type: 'button', class: 'link', title: e.agency.name, dataset: { agency: e.agency.id } }, e.agency.code)
        : el('span', { class: 'muted' }, '—');
      body.append(el('tr', { class: `outcome-${e.outcome.toLowerCase()}` },
        el('td', { class: 'nowrap', title: e.occurredAt }, utc(e.occurredAt)),
        el('td', {}, chip(e.action, `action-${e.action.toLowerCase()}`)),
        el('td', {}, chip(e.outcome, e.outcome === 'SUCCESS' ? 'ok' : 'bad'), e.reason && e.reason !== e.outcome ? el('div', { class: 'muted small' }, e.reason) : null),
        el('td', {}, el('div', {}, e.entityType), returnee ? el('div', { class: 'small' }, 'case ', returnee) : null),
        el('td', {}, staff, e.staff && e.staff.username ? el('div', { class: 'muted small' }, e.staff.username) : null),
        el('td', {}, agency),
        el('td', {}, e.sections.map((s) => chip(s, 'section'))),
        el('td', { class: 'fields' }, e.fields.join(', '),
          e.deniedFields.length ? el('div', { class: 'denied small' }, `withheld: ${e.deniedFields.join(', ')}`) : null),
        el('td', {}, e.purpose || el('span', { class: 'muted' }, '—')),
        el('td', { class: 'mono small' }, e.operation || ''),
        el('td', { class: 'mono small', title: e.requestId }, shortId(e.requestId)),
      ));
    }
  }

  // ---------- CSV export of the current filter ----------
  const CSV_COLUMNS = [
    ['occurredAt', (e) => e.occurredAt], ['action', (e) => e.action], ['outcome', (e) => e.outcome], ['reason', (e) => e.reason],
    ['entityType', (e) => e.entityType], ['entityId', (e) => e.entityId],
    ['returneeId', (e) => e.returnee && e.returnee.id], ['caseNumber', (e) => e.returnee && e.returnee.caseNumber],
    ['staffId', (e) => e.staff && e.staff.id], ['staffUsername', (e) => e.staff && e.staff.username],
    ['agencyCode', (e) => e.agency && e.agency.code], ['agencySector', (e) => e.agency && e.agency.sector],
    ['sections', (e) => e.sections.join(' ')], ['fields', (e) => e.fields.join(' ')], ['deniedFields', (e) => e.deniedFields.join(' ')],
    ['purpose', (e) => e.purpose], ['operation', (e) => e.operation], ['requestId', (e) => e.requestId], ['chainPosition', (e) => e.chainPosition],
    ['eventId', (e) => e.id],
  ];

  /** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
  function csvCell(v) {
    if (v === undefined || v === null) return '';
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  async function exportCsv() {
    const button = $('#export');
    const status = $('#export-status');
    button.disabled = true;
    const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
    try {
      let after = null;
      let total = 0;
      do {
        const { auditEvents } = await gql(Q.events, { filter: state.filter, first: EXPORT_PAGE, after });
        total = auditEvents.totalCount;
        for (const e of auditEvents.nodes) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(e))).join(','));
        status.textContent = `Exporting… ${lines.length - 1} of ${total}`;
        after = auditEvents.pageInfo.hasNextPage ? auditEvents.pageInfo.endCursor : null;
        if (lines.length - 1 >= EXPORT_LIMIT && after) {
          throw new ApiError(`More than ${EXPORT_LIMIT} events: narrow the filter, or use \`hub audit export\` on the server.`, 'TOO_LARGE');
        }
      } while (after);
      const blob = new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
      const url = URL.createObjectURL(blob);
      const stamp = new Date().toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
      const a = el('a', { href: url, download: `audit-events-${stamp}.csv` });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      status.textContent = `Exported ${lines.length - 1} event${lines.length === 2 ? '' : 's'} (${describeFilter(state.filter)}).`;
    } catch (e) {
      status.textContent = '';
      showAlert(`Export failed: ${e.message}`);
    } finally {
      button.disabled = false;
    }
  }

  // ---------- disclosure report ----------
  const VERB = {
    READ: 'read', CREATE: 'created', UPDATE: 'changed', DELETE: 'deleted', DENY: 'was refused',
  };
  const ATTEMPT = { READ: 'tried to read', CREATE: 'tried to create', UPDATE: 'tried to change', DELETE: 'tried to delete', DENY: 'was refused' };
  const OUTCOME_TEXT = {
    SUCCESS: '', DENIED: 'refused by policy', NOT_FOUND: 'out of scope or missing', CONFLICT: 'stale version, nothing changed',
    INVALID: 'invalid input, nothing changed', ERROR: 'failed, nothing changed',
  };

  async function openReport(returneeId) {
    show('report');
    $('#r-returnee').value = returneeId;
    const box = clear($('#report'));
    if (!UUID.test(returneeId)) return showAlert(`Returnee id must be a UUID; "${returneeId}" is not one.`);
    box.append(el('p', { class: 'muted' }, 'Loading the report…'));
    try {
      const { disclosureReport } = await gql(Q.report, { id: returneeId });
      showAlert('');
      renderReport(disclosureReport);
    } catch (e) {
      clear(box);
      showAlert(e.code === 'NOT_FOUND' ? `No returnee with id ${returneeId} in your country.` : e.message);
    }
  }

  function renderReport(r) {
    const box = clear($('#report'));
    box.append(el('div', { class: 'report-head' },
      el('h2', {}, `Disclosure report — case ${r.returnee.caseNumber || r.returnee.id}`),
      el('p', { class: 'muted' }, `Returnee ${r.returnee.id} · ${r.eventCount} event${r.eventCount === 1 ? '' : 's'} · `,
        `${r.agencies.length} agenc${r.agencies.length === 1 ? 'y' : 'ies'} · generated ${utc(r.generatedAt)} UTC`),
      el('button', { type: 'button', class: 'link', dataset: { returnee: r.returnee.id, events: '1' } }, 'Show these events in the table')));
    if (r.agencies.length === 0) {
      box.append(el('p', { class: 'empty' }, 'Nobody has read or changed this record yet.'));
      return;
    }
    box.append(bySection(r));
    for (const a of r.agencies) {
      const name = a.agency ? a.agency.name : 'The hub itself (bootstrap, seed, command line)';
      const meta = a.agency ? `${a.agency.code} · ${a.agency.sector} · ${a.agency.country}` : '';
      box.append(el('article', { class: 'agency-card' },
        el('header', {},
          el('h3', {}, name),
          el('div', { class: 'muted small' }, meta, meta ? ' · ' : '', `${utc(a.firstAt)} — ${utc(a.lastAt)} UTC`),
          el('div', { class: 'summary' },
            a.sectionsRead.length ? el('span', {}, 'Read: ', a.sectionsRead.map((s) => chip(s, 'section'))) : null,
            a.sectionsChanged.length ? el('span', {}, 'Changed: ', a.sectionsChanged.map((s) => chip(s, 'section changed'))) : null)),
        el('ol', { class: 'timeline' }, a.entries.map(entryItem))));
    }
  }

  function entryItem(e) {
    const who = e.staff ? `${e.staff.displayName || e.staff.username} (${e.staff.username || shortId(e.staff.id)})` : 'The hub';
    const when = e.firstAt === e.lastAt ? utc(e.lastAt) : `${utc(e.firstAt)} — ${utc(e.lastAt)}`;
    const outcome = OUTCOME_TEXT[e.outcome];
    const verb = (e.outcome === 'SUCCESS' ? VERB : ATTEMPT)[e.action] || e.action.toLowerCase();
    const auditReview = e.records.length === 1 && e.records[0] === 'AuditEvent';
    return el('li', { class: `entry outcome-${e.outcome.toLowerCase()}` },
      el('div', { class: 'when mono small' }, `${when} UTC`),
      el('div', { class: 'what' },
        el('strong', {}, who),
        auditReview ? ' reviewed the audit trail of this person' : ` ${verb} `,
        auditReview ? null : e.sections.length ? e.sections.map((s) => chip(s, 'section')) : el('span', {}, `the record (${e.records.join(', ')})`),
        e.times > 1 ? el('span', { class: 'times' }, ` ${e.times} times`) : null,
        outcome ? [' ', el('span', { class: 'chip bad' }, outcome)] : null),
      el('div', { class: 'why small' }, 'Purpose: ', e.purpose ? el('q', {}, e.purpose) : el('span', { class: 'muted' }, 'none declared')),
      e.fields.length ? el('details', { class: 'small' }, el('summary', {}, `${e.fields.length} field${e.fields.length === 1 ? '' : 's'} (${e.records.join(', ')})`),
        el('div', { class: 'mono' }, e.fields.join(', '))) : null);
  }

  /** Which agencies read or changed each section, and when last. */
  function bySection(r) {
    const rows = new Map();
    for (const a of r.agencies) {
      const label = a.agency ? a.agency.code : 'the hub';
      for (const [list, kind] of [[a.sectionsRead, 'read'], [a.sectionsChanged, 'changed']]) {
        for (const s of list) {
          if (!rows.has(s)) rows.set(s, { read: new Set(), changed: new Set(), last: '' });
          const row = rows.get(s);
          row[kind].add(label);
          if (a.lastAt > row.last) row.last = a.lastAt;
        }
      }
    }
    const table = el('table', { class: 'by-section' },
      el('thead', {}, el('tr', {}, el('th', {}, 'Section'), el('th', {}, 'Read by'), el('th', {}, 'Created or changed by'), el('th', {}, 'Last (UTC)'))),
      el('tbody', {}, [...rows.entries()].sort(([x], [y]) => x.localeCompare(y)).map(([s, row]) => el('tr', {},
        el('td', {}, chip(s, 'section')), el('td', {}, [...row.read].join(', ') || '—'), el('td', {}, [...row.changed].join(', ') || '—'),
        el('td', { class: 'nowrap' }, utc(row.last))))));
    return el('section', { class: 'sections-summary' }, el('h3', {}, 'By section'), table);
  }

  // ---------- integrity ----------
  async function verify() {
    const box = clear($('#integrity'));
    box.append(el('p', { class: 'muted' }, 'Verifying the hash chain…'));
    $('#verify').disabled = true;
    try {
      const { auditIntegrity: i } = await gql(Q.integrity);
      renderIntegrity(i);
    } catch (e) {
      clear(box);
      showAlert(e.message);
    } finally {
      $('#verify').disabled = false;
    }
  }

  function renderIntegrity(i) {
    const box = clear($('#integrity'));
    box.append(el('div', { class: `verdict ${i.verified ? 'ok' : 'bad'}` },
      el('strong', {}, i.verified ? 'Intact' : 'NOT intact'),
      el('span', {}, i.verified
        ? ` — ${i.eventsChecked.toLocaleString('en')} events verified against the hash chain.`
        : ` — ${i.problemCount} problem${i.problemCount === 1 ? '' : 's'} found; the first bad event is named below.`)));
    const dl = (pairs) => el('dl', { class: 'facts' }, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    box.append(el('h3', {}, 'Chain'), dl([
      ['Events checked', i.eventsChecked.toLocaleString('en')],
      ['Head position', i.headPosition],
      ['Head hash (SHA-256)', el('span', { class: 'mono' }, i.headHash)],
      ['Waiting to be sealed', `${i.pendingEvents} (normal for about a second)`],
      ['Checked at', `${utc(i.checkedAt)} UTC, in ${i.durationMs} ms`],
    ]));
    if (i.firstBadEvent || i.problems.length) {
      box.append(el('h3', {}, 'Problems'), el('ol', { class: 'problems' }, i.problems.map((p) => el('li', {},
        el('strong', {}, p.kind), p.eventId ? ` event ${p.eventId}` : '', p.position ? ` at position ${p.position}` : '', ': ', p.detail))));
    }
    const cp = i.latestCheckpoint;
    box.append(el('h3', {}, 'Latest signed checkpoint'));
    if (!cp) {
      box.append(el('p', { class: 'muted' }, 'No checkpoint has been signed yet (the hub signs one at start, then every HUB_AUDIT_CHECKPOINT_INTERVAL_S while the trail grows).'));
      return;
    }
    const yes = (ok, good, bad) => chip(ok ? good : bad, ok ? 'ok' : 'bad');
    box.append(dl([
      ['Position', cp.position],
      ['Hash', el('span', { class: 'mono' }, cp.hash)],
      ['Signed at', `${utc(cp.signedAt)} UTC`],
      ['Key', el('span', { class: 'mono' }, cp.keyId)],
      ['Signature', yes(cp.signatureValid, 'valid', 'INVALID')],
      ['Key trusted', yes(cp.trustedKey, 'trusted', 'UNKNOWN KEY')],
      ['Chain still matches', yes(cp.chainMatches, 'matches', 'DIFFERS')],
    ]));
  }

  // ---------- wiring ----------
  function setFilterField(name, value) {
    $('#filter-form').elements[name].value = value;
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('#sign-in-form').addEventListener('submit', (ev) => { ev.preventDefault(); signIn($('#token').value, $('#purpose').value); });
    $('#sign-out').addEventListener('click', () => signOut('Signed out.'));
    $('#filter-form').addEventListener('submit', (ev) => { ev.preventDefault(); search(); });
    $('#clear').addEventListener('click', () => { $('#filter-form').reset(); search(); });
    $('#export').addEventListener('click', exportCsv);
    $('#verify').addEventListener('click', verify);
    $('#prev').addEventListener('click', () => { if (state.page > 0) { state.page -= 1; loadPage(); } });
    $('#next').addEventListener('click', () => { if (state.cursors[state.page + 1]) { state.page += 1; loadPage(); } });
    $('#report-form').addEventListener('submit', (ev) => { ev.preventDefault(); openReport($('#r-returnee').value.trim()); });
    for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
    for (const ev of ['focus', 'mousedown', 'keydown']) $('#f-agency').addEventListener(ev, loadAgencies);
    // Links inside tables and reports: a returnee opens its report; a person or an agency narrows the filter.
    document.addEventListener('click', (ev) => {
      const target = ev.target instanceof Element ? ev.target.closest('[data-returnee],[data-staff],[data-agency]') : null;
      if (!target) return;
      const { returnee, staff, agency, events } = target.dataset;
      if (returnee && !events) { openReport(returnee); return; }
      if (events) $('#filter-form').reset(); // from a report: that person's events; from the table: narrow the filter
      if (returnee) setFilterField('returneeId', returnee);
      if (staff) setFilterField('staffId', staff);
      show('events');
      if (agency) loadAgencies().then(() => { setFilterField('agencyId', agency); search(); });
      else search();
    });
    const s = session.get();
    if (s && s.token && s.me) enterApp();
  });
})();
