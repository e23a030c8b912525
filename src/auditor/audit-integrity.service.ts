import type { Operation } from '../request/operation';
import type { Problem } from '../trail/audit-problems';
import type { CheckpointStatus } from '../trail/audit-verifier';
import type { AuditCheckpointType, AuditIntegrityType, AuditProblemType } from './audit.types';

function problemView(p: Problem): AuditProblemType {
  return { kind: p.kind, eventId: p.eventId ?? null, position: p.position ?? null, checkpointId: p.checkpointId ?? null, detail: p.detail };
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
 * `auditIntegrity`: a full verification of the chain (see audit-verifier.ts), shared by
 * concurrent callers in this process. It reads every event, so it takes about a second per
 * few hundred thousand events (docs/audit.md); `hub audit verify` is the tool for large trails.
 */
export async function auditIntegrityOrThrow(op: Operation): Promise<AuditIntegrityType> {
  await op.authorizeOrThrow('read', 'AuditEvent', { entityType: 'AuditEvent', message: 'Only auditors may verify the audit trail' });
  const checkedAt = new Date();
  const report = await op.ctx.runtime.audit.verify();
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
    checkedAt,
    durationMs: report.ms,
  };
}
