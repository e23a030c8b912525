import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'pg';
import { ArchiveRefused, fileDigest, sealOf, writeArchive } from '../trail/audit-archive';
import { verifyArchive, type ArchiveReport } from '../trail/audit-archive-verify';
import { CANONICAL_COLUMNS } from '../trail/audit-canonical';
import { AuditRecorder } from '../trail/audit-recorder';
import { loadOrCreateSigningKey, trustedKeyFromText, type TrustedKey } from '../trail/audit-signing-key';
import type { HubConfig } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import { UsageError } from './flags';

/**
 * `hub audit archive`, `hub audit hold` and `hub audit verify --archive` (docs/audit.md, "Archive
 * and retention"). Exit codes: 0 done, 1 the archive does not verify, 2 usage, 3 refused
 * (open, unsealed or held month, retention not elapsed, no archive, file exists): nothing changed.
 */
export const REFUSED = 3;

/** A refusal of the database's detach and hold functions (Migration20261223000000) or of the archive writer. */
export class Refused extends Error {}

function refusalOf(error: unknown): Refused | undefined {
  if (error instanceof ArchiveRefused) return new Refused(error.message);
  const e = error as { code?: string; message?: string };
  if (e.code === '55000') return new Refused(e.message ?? 'refused');
  if (e.code === 'EEXIST') return new Refused(`${e.message}: the archive file exists already, choose another --out`);
  return undefined;
}

/** Runs `work`, turning a refusal into its message on stderr and exit code 3. */
export async function refusing(command: string, work: () => Promise<number>): Promise<number> {
  try {
    return await work();
  } catch (error) {
    const refused = refusalOf(error);
    if (!refused) throw error;
    process.stderr.write(`hub audit ${command}: refused: ${refused.message}\n`);
    return REFUSED;
  }
}

export function monthOrThrow(value: string | undefined): string {
  if (value === undefined || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    throw new UsageError('--month must be a month as YYYY-MM, e.g. 2026-01');
  return value;
}

async function withOwner<T>(db: Database, work: (owner: Client) => Promise<T>): Promise<T> {
  const owner = new Client({ connectionString: db.url });
  await owner.connect();
  try {
    return await work(owner);
  } finally {
    await owner.end();
  }
}

function printArchiveReport(report: ArchiveReport, file: string): void {
  const rate = report.ms > 0 ? Math.round((report.events / report.ms) * 1000) : report.events;
  if (report.intact) {
    process.stdout.write(
      `archive intact: ${file}: month ${report.month}, ${report.events} events, positions ${report.firstPosition}..${report.lastPosition}, ` +
        `root hash ${report.rootHash}, seal signed by key ${report.keyId}, ${report.checkpointsChecked} checkpoint(s) in it; ` +
        `checked in ${(report.ms / 1000).toFixed(1)} s (${rate} events/s)\n`,
    );
    return;
  }
  const first = report.problems[0];
  process.stdout.write(`archive NOT intact: ${file}: line ${first.line}: ${first.reason}\n${report.problemCount} problem(s):\n`);
  for (const p of report.problems) process.stdout.write(`  - line ${p.line}: ${p.reason}\n`);
}

async function trustedFor(config: HubConfig, publicKeyFiles: readonly string[]): Promise<TrustedKey[]> {
  const given = await Promise.all(publicKeyFiles.map(async (f) => trustedKeyFromText(await readFile(f, 'utf8'))));
  if (given.length > 0) return given;
  const key = await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey);
  return [key.publicKey, ...config.audit.trustedKeys.map(trustedKeyFromText)];
}

/** `hub audit verify --archive FILE`: the archive alone, no database. */
export async function verifyArchiveCommand(
  config: HubConfig,
  file: string,
  publicKeyFiles: readonly string[],
  json: boolean,
): Promise<number> {
  const report = await verifyArchive(file, await trustedFor(config, publicKeyFiles));
  if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printArchiveReport(report, file);
  return report.intact ? 0 : 1;
}

/**
 * `hub audit archive --month M [--out FILE] [--detach]`: with --detach, the refusals that need
 * no archive first (nothing is written when they refuse); the read is audited before the first
 * line leaves; the file is verified against the seal before it is recorded; only a recorded
 * archive of the current seal lets the database detach and drop the month.
 */
export async function archiveCommand(
  db: Database,
  config: HubConfig,
  log: Logger,
  values: { month?: string; out?: string; detach?: boolean },
): Promise<number> {
  const month = monthOrThrow(values.month);
  const file = path.resolve(values.out ?? `audit-${month}.jsonl.gz`);
  const trusted = await trustedFor(config, []);
  return withOwner(db, async (owner) => {
    const requestId = randomUUID();
    const detachArgs = [`${month}-01`, config.audit.retentionMonths ?? null, requestId];
    const sealer = db.openMaintenancePool(1);
    try {
      await sealOf(sealer, month);
      if (values.detach) await owner.query('select hub_audit_detach_month($1::date, $2, $3, true)', detachArgs);
      const em = db.orm.em.fork();
      await new AuditRecorder(em, log).durably({ requestId, purpose: `archive of audit month ${month}` }, [
        { action: 'READ', entityType: 'AuditEvent', fields: [...CANONICAL_COLUMNS], outcome: 'SUCCESS', operation: 'cli:audit archive' },
      ]);
      const written = await writeArchive(sealer, month, file);
      const report = await verifyArchive(file, trusted);
      if (!report.intact) {
        printArchiveReport(report, file);
        process.stdout.write('the export does not verify against the seal: nothing recorded, nothing detached\n');
        return 1;
      }
      const { sha256, bytes } = await fileDigest(file);
      await owner.query(
        `insert into audit_month_archive (month, seal_hash, event_count, file_sha256, file_bytes, file_name)
         values ($1::date, decode($2, 'hex'), $3, decode($4, 'hex'), $5, $6)`,
        [`${month}-01`, written.seal.sealHash, written.seal.eventCount, sha256, bytes, file],
      );
      process.stdout.write(
        `archived audit month ${month}: ${written.events} events to ${file} (${bytes} bytes, sha256 ${sha256}) in ${(written.ms / 1000).toFixed(1)} s; ` +
          `verified against its seal in ${(report.ms / 1000).toFixed(1)} s\n`,
      );
      if (!values.detach) return 0;
      const t = Date.now();
      const { rows } = await owner.query<{ event: string }>('select hub_audit_detach_month($1::date, $2, $3)::text as event', detachArgs);
      process.stdout.write(
        `detached and dropped audit month ${month} in ${((Date.now() - t) / 1000).toFixed(1)} s (audit event ${rows[0].event})\n`,
      );
      return 0;
    } finally {
      await sealer.destroy();
    }
  });
}

/** `hub audit hold --month M [--release] [--reason TEXT]`: the database records the change and its audit event together. */
export async function holdCommand(db: Database, values: { month?: string; release?: boolean; reason?: string }): Promise<number> {
  const month = monthOrThrow(values.month);
  const hold = !values.release;
  return withOwner(db, async (owner) => {
    const { rows } = await owner.query<{ event: string }>('select hub_audit_set_hold($1::date, $2, $3, $4)::text as event', [
      `${month}-01`,
      hold,
      values.reason ?? null,
      randomUUID(),
    ]);
    process.stdout.write(`legal hold ${hold ? 'set on' : 'released from'} audit month ${month} (audit event ${rows[0].event})\n`);
    return 0;
  });
}
