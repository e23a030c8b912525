import type { Translator } from '../../i18n/translator';
import { statementTranslator } from './statement-i18n';
import { agencyName, basisText, itemsText, purposeText } from './statement-text';
import type { DisclosureStatementType } from './statement.types';

/**
 * The statement as one self-contained, printable HTML page: no script, no external resource
 * (the page's CSP says so), every value escaped; print CSS for A4. The same page is what headless
 * Chromium prints to PDF (statement-pdf.ts).
 */
const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export const STATEMENT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const CSS = `
  :root { color-scheme: light; }
  body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #111; line-height: 1.45; }
  h1 { font-size: 1.6rem; margin-bottom: .25rem; }
  .case { font-size: 1rem; color: #333; margin-top: 0; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; font-size: .92rem; }
  th, td { border: 1px solid #999; padding: .35rem .5rem; text-align: left; vertical-align: top; }
  th { background: #eee; }
  td.times { text-align: right; }
  tr.day-first td.day { font-weight: bold; }
  .note { color: #222; }
  footer { margin-top: 1.5rem; font-size: .85rem; color: #333; }
  @page { size: A4; margin: 15mm; }
  @media print {
    body { margin: 0; max-width: none; font-size: 10pt; }
    table { font-size: 9pt; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; }
    th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  }
`;

function rows(t: Translator, s: DisclosureStatementType): string {
  let lastDay = '';
  return s.entries
    .map((e) => {
      const first = e.day !== lastDay;
      lastDay = e.day;
      return `<tr${first ? ' class="day-first"' : ''}><td class="day">${escapeHtml(t.date(e.day))}</td><td>${escapeHtml(agencyName(t, e.agency))}</td><td>${escapeHtml(
        t.t(`statement.access.${e.access}`),
      )}: ${escapeHtml(itemsText(t, e))}</td><td>${escapeHtml(purposeText(t, e.purpose))}</td><td>${escapeHtml(basisText(t, e.basis, e.agency))}</td><td class="times">${escapeHtml(
        t.number(e.times),
      )}</td></tr>`;
    })
    .join('\n');
}

export function statementHtml(s: DisclosureStatementType): string {
  const t = statementTranslator(s.language);
  const [intro, ...rest] = s.paragraphs;
  const head = ['day', 'agency', 'what', 'purpose', 'basis', 'times'].map(
    (c) => `<th scope="col">${escapeHtml(t.t(`statement.col.${c}`))}</th>`,
  );
  const table = s.entries.length ? `<table><thead><tr>${head.join('')}</tr></thead><tbody>\n${rows(t, s)}\n</tbody></table>` : '';
  return `<!doctype html>
<html lang="${escapeHtml(s.language)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${STATEMENT_CSP.split('; frame-ancestors')[0]}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(s.title)} — ${escapeHtml(s.caseNumber)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${escapeHtml(s.title)}</h1>
<p class="case">${escapeHtml(s.caseNumber)}</p>
<p>${escapeHtml(intro)}</p>
${rest
  .slice(0, 3)
  .map((p) => `<p class="note">${escapeHtml(p)}</p>`)
  .join('\n')}
${table}
<footer>${rest
    .slice(3)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('\n')}</footer>
</main>
</body>
</html>
`;
}
