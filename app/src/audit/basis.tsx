import type { AuditBasisFragment, DisclosureBasisKind } from '../api/generated';
import { useT } from '../shared/i18n';
import { shortId } from './csv';

/**
 * The lawful basis of each disclosure (docs/disclosure-basis.md), as the console shows it: a
 * chip per basis kind with the consent, agreement or break-glass it names, so an auditor can
 * follow one basis to everything it let through (the events filter `basis` + `basisRef`).
 */
export const BASIS_KINDS: DisclosureBasisKind[] = ['OWN_SECTOR', 'CONSENT', 'AGREEMENT', 'LEGAL_DUTY', 'BREAK_GLASS'];

/** Kinds whose ref names an object (consent, agreement, break-glass): the ones a basisRef filter can follow. */
export const hasRef = (kind: DisclosureBasisKind) => kind === 'CONSENT' || kind === 'AGREEMENT' || kind === 'BREAK_GLASS';

/** One basis as a short line: kind, its ref (and version), or the policy's legal basis. */
export function basisLabel(b: Pick<AuditBasisFragment, 'kind' | 'ref' | 'version' | 'legalBasis'>): string {
  if (b.ref) return `${b.kind} ${shortId(b.ref)}${b.version ? ` v${b.version}` : ''}`;
  if (b.legalBasis) return `${b.kind}: ${b.legalBasis}`;
  return b.kind;
}

/** A READ event's bases, grouped by kind+ref so a page of many sections stays one line per basis. */
export function BasisCell(props: { bases: AuditBasisFragment[]; onFollow: (kind: DisclosureBasisKind, ref: string) => void }) {
  const t = useT();
  if (props.bases.length === 0) return <span class="muted">—</span>;
  const groups = new Map<string, { b: AuditBasisFragment; sections: string[] }>();
  for (const b of props.bases) {
    const key = `${b.kind}|${b.ref ?? ''}|${b.version ?? ''}|${b.legalBasis ?? ''}`;
    const g = groups.get(key) ?? { b, sections: [] };
    if (b.section) g.sections.push(b.section);
    groups.set(key, g);
  }
  return (
    <ul class="bases">
      {[...groups.values()].map(({ b, sections }) => (
        <li key={`${b.kind}${b.ref ?? ''}${b.legalBasis ?? ''}`} class={`basis basis-${b.kind.toLowerCase()}`}>
          {b.ref && hasRef(b.kind) ? (
            <button
              type="button"
              class="link"
              translate={false}
              data-basis-ref={b.ref}
              title={t.t('audit.basis.follow', { kind: b.kind, id: b.ref })}
              onClick={() => props.onFollow(b.kind, b.ref!)}
            >
              {basisLabel(b)}
            </button>
          ) : (
            <span translate={false}>{basisLabel(b)}</span>
          )}
          {sections.length ? <span class="muted small"> ({sections.join(', ')})</span> : null}
          {b.consentRef ? <span class="muted small">{` ${t.t('audit.basis.withConsent', { id: shortId(b.consentRef) })}`}</span> : null}
        </li>
      ))}
    </ul>
  );
}
