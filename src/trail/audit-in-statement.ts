/**
 * The events of a mutation that writes its change in one SQL statement (a data-modifying CTE,
 * src/returnee/section-write-sql.ts): the recorder (`AuditRecorder.inStatement`, still the only
 * writer of audit rows) hands the statement its `insert into audit_event` part, so the change
 * and its events commit or roll back together, in one round trip.
 *
 * The rows are the recorder's own (sanitised by it), bound as one JSON parameter per group. As
 * in the recorder's INSERT, a one-time gate (`pg_current_xact_id() is not null`) gives the
 * transaction its id before the first event id is drawn: the sealer's watermark relies on it
 * (audit-sealer.ts). The chain is then extended by the sealer, as for every other event.
 */
const COLUMNS = [
  'request_id',
  'staff_id',
  'agency_id',
  'action',
  'entity_type',
  'entity_id',
  'returnee_id',
  'fields',
  'denied_fields',
  'purpose',
  'operation',
  'outcome',
  'reason',
  'correlation_id',
  'basis',
  'basis_keys',
] as const;

const RECORDSET = `jsonb_to_recordset(?::jsonb) as x(request_id uuid, staff_id uuid, agency_id uuid, action text, entity_type text,
  entity_id text, returnee_id uuid, fields text[], denied_fields text[], purpose text, operation text, outcome text, reason text,
  correlation_id text, basis jsonb, basis_keys text[])`;

/** Events of one statement, stored once for each row `from` yields (at most one). */
export interface EventGroup<Entry> {
  entries: Entry[];
  /** A row source of the statement (a CTE's name). */
  from: string;
  /** An expression over `from` for the `fields` column, when only the statement knows them (which columns changed). */
  fields?: string;
  /** An expression over `from` for the `entity_id` column, when only the statement knows it (the document version it superseded). */
  entityId?: string;
  /** An expression over `from` for the `returnee_id` column, when only the statement knows it (a measure's record). */
  returneeId?: string;
}

export interface StatementEvents {
  /** `insert into audit_event …`: to be a data-modifying CTE of the caller's statement. */
  text: string;
  /** Its parameters: one JSON array of rows per group, in order. */
  params: string[];
  /** Tells the metrics what the statement stored (`applied`: per group), and in which transaction (none: committed). */
  stored(applied: readonly boolean[], transaction?: object): void;
}

export function statementEvents<Row extends { action: string; outcome: string }>(
  groups: readonly { from: string; fields?: string; entityId?: string; returneeId?: string }[],
  rows: Row[][],
  onStored?: (events: Row[], transaction?: object) => void,
): StatementEvents {
  const selects = groups.map((g) => {
    const given: Partial<Record<(typeof COLUMNS)[number], string>> = { fields: g.fields, entity_id: g.entityId, returnee_id: g.returneeId };
    const columns = COLUMNS.map((c) => given[c] ?? `x.${c}`);
    return `select ${columns.join(', ')} from ${RECORDSET} cross join ${g.from} where pg_current_xact_id() is not null`;
  });
  return {
    text: `insert into audit_event (${COLUMNS.join(', ')}) ${selects.join(' union all ')}`,
    params: rows.map((r) => JSON.stringify(r)),
    stored: (applied, transaction) => onStored?.(rows.filter((_, i) => applied[i]).flat(), transaction),
  };
}
