import type { Operation } from '../request/operation';
import type { Problem } from '../trail/audit-problems';
import type { MonthStatus } from '../trail/audit-seal-check';
import type { CheckpointStatus } from '../trail/audit-verifier';
import type { AuditCheckpointType, AuditIntegrityType, AuditMonthType, AuditProblemType } from './audit.types';

function monthView(m: MonthStatus): AuditMonthType {
  return {
    month: m.month,
    sealed: m.seal !== undefined,
    sealValid: m.sealValid ?? null,
    firstPosition: m.seal?.firstPosition ?? null,
    lastPosition: m.seal?.lastPosition ?? null,
    rootHash: m.seal?.rootHash ?? null,
    events: m.events,
    walked: m.walked,
    intact: m.intact,
    archived: m.archived ?? false,
  };
}

function problemView(p: Problem): AuditProblemType {
  return {
    kind: p.kind,
    eventId: p.eventId ?? null,
    position: p.position ?? null,
    checkpointId: p.checkpointId ?? null,
    month: p.month ?? null,
    detail: p.detail,
  };
}

function checkpointView(s: CheckpointStatus): AuditCheckpointType {
  const cp = s.checkpoint;
  return {
    id: cp.id ?? '',
    position: cp.position,
    hash: cp.hash,
    signedAt: new Date(cp.signedAt),
    keyId: cp.keyId,
    signatureValid: s.signatureValid,
    trustedKey: s.trustedKey,
    chainMatches: s.chainMatches,
    source: s.source,
  };
}

/**
 * `auditIntegrity`: the bounded check (audit-maintenance.ts `integrity`), shared by concurrent
 * callers in this process: the open months link by link, the closed months from their signed
 * seals, and in turn a few closed months link by link. Its cost follows the open month, not the
 * trail (docs/audit.md); `hub audit verify` walks every month.
 */
export async function auditIntegrityOrThrow(op: Operation): Promise<AuditIntegrityType> {
  await op.authorizeOrThrow('read', 'AuditEvent', { entityType: 'AuditEvent', message: 'Only auditors may verify the audit trail' });
  const checkedAt = new Date();
  const report = await op.ctx.runtime.audit.integrity();
  await op.recordDurably([{ action: 'READ', entityType: 'AuditEvent', fields: ['auditIntegrity'], outcome: 'SUCCESS' }]);
  return {
    verified: report.intact,
    eventsChecked: report.eventsChecked,
    headPosition: report.headPosition,
    headHash: report.headHash,
    pendingEvents: report.pendingEvents,
    firstBadEvent: report.firstProblem ? problemView(report.firstProblem) : null,
    problems: report.problems.map(problemView),
    problemCount: report.problemCount,
    latestCheckpoint: report.latestCheckpoint ? checkpointView(report.latestCheckpoint) : null,
    latestExternalCheckpoint: report.latestExternalCheckpoint ? checkpointView(report.latestExternalCheckpoint) : null,
    months: report.months.map(monthView),
    checkedAt,
    durationMs: report.ms,
  };
}
