import type { AuditBasisFragment, ConsoleEventsQuery } from '../api/generated';

export type AuditEventRow = ConsoleEventsQuery['auditEvents']['edges'][number]['node'];

/** The bases of a READ event as the export writes them: `SECTION:KIND[:ref[:vN]]`, space-separated. */
export const basisCsv = (bases: AuditBasisFragment[]) =>
  bases.map((b) => [b.section ?? '-', b.kind, ...(b.ref ? [b.ref] : []), ...(b.version ? [`v${b.version}`] : [])].join(':')).join(' ');

/** The export's columns: stable names (a spreadsheet or script reads them), not translated. */
export const CSV_COLUMNS: [string, (e: AuditEventRow) => unknown][] = [
  ['occurredAt', (e) => e.occurredAt],
  ['action', (e) => e.action],
  ['outcome', (e) => e.outcome],
  ['reason', (e) => e.reason],
  ['entityType', (e) => e.entityType],
  ['entityId', (e) => e.entityId],
  ['returneeId', (e) => e.returnee?.id],
  ['caseNumber', (e) => e.returnee?.caseNumber],
  ['staffId', (e) => e.staff?.id],
  ['staffUsername', (e) => e.staff?.username],
  ['agencyCode', (e) => e.agency?.code],
  ['agencySector', (e) => e.agency?.sector],
  ['sections', (e) => e.sections.join(' ')],
  ['fields', (e) => e.fields.join(' ')],
  ['deniedFields', (e) => e.deniedFields.join(' ')],
  ['purpose', (e) => e.purpose],
  ['operation', (e) => e.operation],
  ['requestId', (e) => e.requestId],
  ['chainPosition', (e) => e.chainPosition],
  ['eventId', (e) => e.id],
  ['basis', (e) => basisCsv(e.basis)],
];

/** RFC 4180 quoting; a cell a spreadsheet would run as a formula is prefixed with an apostrophe. */
export function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (e: AuditEventRow) => CSV_COLUMNS.map(([, get]) => csvCell(get(e))).join(',');
export const CSV_HEADER = CSV_COLUMNS.map(([name]) => name).join(',');

export function download(lines: string[]): void {
  const blob = new Blob([`${lines.join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const a = document.createElement('a');
  a.href = url;
  a.download = `audit-events-${stamp}.csv`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

export const utc = (iso: string | null | undefined) =>
  iso
    ? new Date(iso)
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, '')
    : '';
export const shortId = (id: string | null | undefined) => (id ? id.slice(0, 8) : '');
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
