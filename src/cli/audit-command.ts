import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Knex } from '@mikro-orm/postgresql';
import { createCheckpoint, type CheckpointRecord } from '../trail/audit-checkpoint';
import { CheckpointPublisher, readKeptCheckpoints, trailOf, type KeptCopy } from '../trail/audit-checkpoint-sink';
import { EXPORT_COLUMNS, exportEvents, type ExportFormat } from '../trail/audit-export';
import { describe } from '../trail/audit-problems';
import { AuditRecorder } from '../trail/audit-recorder';
import { sealAll } from '../trail/audit-sealer';
import { loadOrCreateSigningKey, publicKeyPem, trustedKeyFromText } from '../trail/audit-signing-key';
import { verifyTrail, type CheckpointStatus, type VerifyReport } from '../trail/audit-verifier';
import { loadConfig, type HubConfig } from '../config';
import { openDatabase, type Database } from '../db/database';
import { createLogger, type Logger } from '../logger';
import { archiveCommand, holdCommand, refusing, verifyArchiveCommand } from './audit-archive-command';
import { commandList, commandUsage, HelpRequested, intFlag, parseFlags, UsageError, type CommandHelp } from './flags';
import { progressBar } from './progress';

const COMMANDS = {
  verify: {
    synopsis:
      'verify [--checkpoint FILE]... [--public-key FILE]... [--no-external] [--grace SECONDS] [--json] | verify --archive FILE [--public-key FILE]...',
    about:
      'recompute the hash chain and compare it with the checkpoints kept outside the database; exit 0 when intact, 1 naming the first bad event. ' +
      'With --archive: check an archive file alone, offline, against its signed seal',
  },
  archive: {
    synopsis: 'archive --month YYYY-MM [--out FILE] [--detach]',
    about:
      'export a closed, sealed month as gzip JSON Lines with its seal, verify it against the seal, record it; with --detach, then drop the ' +
      'month from the database (only after HUB_AUDIT_RETENTION_MONTHS and without a legal hold); exit 3 when refused',
  },
  hold: {
    synopsis: 'hold --month YYYY-MM [--release] [--reason TEXT]',
    about: 'set (or release) a legal hold on a month: a held month cannot be detached; the change is audited',
  },
  export: {
    synopsis: 'export --from ISO --to ISO [--format jsonl|csv] [--out FILE]',
    about: 'stream the events of [from, to) oldest first (stdout by default)',
  },
  checkpoint: {
    synopsis: 'checkpoint [--out FILE]',
    about: 'seal, then sign the chain head, keep it in the checkpoint file and sink; prints the checkpoint (JSON) to keep elsewhere',
  },
  seal: { synopsis: 'seal', about: 'seal committed events into the chain now (every hub does this every 0.5 s)' },
  'public-key': { synopsis: 'public-key', about: 'print the public key that checks checkpoints' },
} satisfies Record<string, CommandHelp>;

export const AUDIT_USAGE = `usage: hub audit <command> [flags]   (every command takes --help; exit 2 on a usage error)\n${commandList(COMMANDS)}`;

const FLAGS = {
  verify: {
    checkpoint: { type: 'string', multiple: true },
    'public-key': { type: 'string', multiple: true },
    'no-external': { type: 'boolean' },
    grace: { type: 'string' },
    json: { type: 'boolean' },
    archive: { type: 'string' },
  },
  archive: { month: { type: 'string' }, out: { type: 'string' }, detach: { type: 'boolean' } },
  hold: { month: { type: 'string' }, release: { type: 'boolean' }, reason: { type: 'string' } },
  export: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  checkpoint: { out: { type: 'string' } },
  seal: {},
  'public-key': {},
} as const;

type AuditCommand = keyof typeof FLAGS;

function dateOrThrow(value: string | undefined, name: string): Date {
  const d = value === undefined ? undefined : new Date(value);
  if (!d || Number.isNaN(d.getTime()))
    throw new UsageError(`--${name} must be an ISO date or time, e.g. 2026-01-01 or 2026-01-01T00:00:00Z`);
  return d;
}

function knexOf(db: Database): Knex {
  return db.orm.em.getConnection().getKnex();
}

function externalText(report: VerifyReport, copies: KeptCopy[] | undefined): string {
  const latest = report.latestExternalCheckpoint;
  const from = (s: CheckpointStatus) => {
    const copy = copies?.find((c) => c.source === s.source);
    return copy ? `${s.source} ${copy.where}` : 'given with --checkpoint';
  };
  if (latest) {
    const verdict =
      BigInt(latest.checkpoint.position) > BigInt(report.headPosition)
        ? 'the chain ends BEFORE it'
        : latest.chainMatches
          ? 'the chain passes through it'
          : 'the chain DIFFERS';
    return `external checkpoint at position ${latest.checkpoint.position} (${from(latest)}): ${verdict}`;
  }
  if (copies === undefined) return 'external checkpoints not read (--no-external)';
  if (copies.length === 0) return 'no external checkpoint file or directory found (HUB_AUDIT_CHECKPOINT_FILE, HUB_AUDIT_CHECKPOINT_SINK)';
  const others = copies.reduce((n, c) => n + c.otherTrails, 0);
  return `no external checkpoint for this database in ${copies.map((c) => c.where).join(', ')}${others > 0 ? ` (${others} of other databases)` : ''}`;
}

function printReport(report: VerifyReport, copies: KeptCopy[] | undefined): void {
  const rate = report.ms > 0 ? Math.round((report.eventsChecked / report.ms) * 1000) : report.eventsChecked;
  const cp = report.latestCheckpoint;
  const cpText = cp
    ? `latest checkpoint ${cp.checkpoint.id} at position ${cp.checkpoint.position} (signature ${cp.signatureValid && cp.trustedKey ? 'valid' : 'NOT valid'}, chain ${cp.chainMatches ? 'passes through it' : 'DIFFERS'})`
    : 'no checkpoint yet';
  const archived = report.archivedMonths.length
    ? `; ${report.archivedMonths.length} month(s) archived and detached, vouched for by their seals: ${report.archivedMonths
        .map(
          (m) =>
            `${m.month} (${m.events} events, archive ${m.archiveFile} sha256 ${m.archiveSha256.slice(0, 16)}…, detached ${m.detachedAt})`,
        )
        .join(', ')}`
    : '';
  const summary = `${report.eventsChecked} events checked in ${(report.ms / 1000).toFixed(1)} s (${rate} events/s); head position ${report.headPosition}, hash ${report.headHash}; ${cpText}; ${externalText(report, copies)}; ${report.pendingEvents} event(s) awaiting sealing${archived}`;
  if (report.intact) {
    process.stdout.write(`audit trail intact: ${summary}\n`);
    return;
  }
  process.stdout.write(`audit trail NOT intact: first bad event: ${describe(report.firstProblem!)}\n`);
  process.stdout.write(
    `${report.problemCount} problem(s)${report.problemCount > report.problems.length ? `, the first ${report.problems.length}` : ''}:\n`,
  );
  for (const p of report.problems) process.stdout.write(`  - ${describe(p)}\n`);
  process.stdout.write(`${summary}\n`);
}

/** A checkpoint file as `hub audit checkpoint --out` writes it (one JSON object), or JSON Lines as the hub keeps them. */
async function checkpointsIn(file: string, trail: string): Promise<CheckpointRecord[]> {
  const text = await readFile(file, 'utf8');
  let records: (CheckpointRecord & { trail?: string })[];
  try {
    records = [JSON.parse(text)];
  } catch {
    try {
      records = text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l));
    } catch {
      throw new UsageError(`--checkpoint ${file} is neither a checkpoint (JSON) nor JSON Lines of checkpoints`);
    }
  }
  // Lines of other databases in a shared file are not this trail's; a file without trail names is taken as given.
  return records.filter((r) => r.trail === undefined || r.trail === trail);
}

async function verify(db: Database, config: HubConfig, args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS.verify);
  const key = await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey);
  const given = await Promise.all((values['public-key'] ?? []).map(async (f) => trustedKeyFromText(await readFile(f, 'utf8'))));
  const trail = await trailOf(knexOf(db));
  const external = (await Promise.all((values.checkpoint ?? []).map((f) => checkpointsIn(f, trail)))).flat();
  // Read before the walk: the chain only grows meanwhile, so a kept position is never "ahead" by a race.
  const copies = values['no-external'] ? undefined : await readKeptCheckpoints(config.audit, trail);
  const report = await verifyTrail(knexOf(db), {
    // Keys given on the command line replace the hub's own: an auditor trusts only what they keep.
    trustedKeys: given.length > 0 ? given : [key.publicKey, ...config.audit.trustedKeys.map(trustedKeyFromText)],
    graceMs: intFlag(values.grace, 'grace', config.audit.verifyGraceS) * 1000,
    externalCheckpoints: external,
    keptCheckpoints: (copies ?? []).flatMap((c) => c.checkpoints.map((checkpoint) => ({ checkpoint, source: c.source }))),
    onProgress: process.stderr.isTTY ? progressBar(process.stderr, 'verifying') : undefined,
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report, copies);
  return report.intact ? 0 : 1;
}

async function exportCommand(db: Database, log: Logger, args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS.export);
  const range = { from: dateOrThrow(values.from, 'from'), to: dateOrThrow(values.to, 'to') };
  if (range.from >= range.to) throw new UsageError('--from must be before --to');
  const format = (values.format ?? 'jsonl') as ExportFormat;
  if (format !== 'jsonl' && format !== 'csv') throw new UsageError('--format must be jsonl or csv');
  // Reading the trail is audited too, and durably before any of it leaves (fail closed).
  const em = db.orm.em.fork();
  await new AuditRecorder(em, log).durably(
    { requestId: randomUUID(), purpose: `export ${range.from.toISOString()}..${range.to.toISOString()} as ${format}` },
    [{ action: 'READ', entityType: 'AuditEvent', fields: [...EXPORT_COLUMNS], outcome: 'SUCCESS', operation: 'cli:audit export' }],
  );
  const file = values.out;
  const out: Writable = file ? createWriteStream(file) : process.stdout;
  const n = await exportEvents(knexOf(db), range, format, out);
  if (file) {
    out.end();
    await finished(out);
  }
  process.stderr.write(`exported ${n} events\n`);
  return 0;
}

/** Seals and signs as the sealer role (the app role may not write the chain), then keeps the checkpoint outside. */
async function checkpoint(db: Database, config: HubConfig, log: Logger, args: string[]): Promise<number> {
  const { values } = parseFlags(args, FLAGS.checkpoint);
  const key = await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey);
  const sealer = db.openMaintenancePool(1);
  try {
    await sealAll(sealer, { wait: true, key });
    const cp = await createCheckpoint(sealer, key);
    const kept = { ...cp, trail: await trailOf(sealer) };
    await new CheckpointPublisher(config.audit, log).publish(kept);
    const json = `${JSON.stringify(kept, null, 2)}\n`;
    const file = values.out;
    if (file) await import('node:fs/promises').then((fs) => fs.writeFile(file, json));
    process.stdout.write(json);
    return 0;
  } finally {
    await sealer.destroy();
  }
}

/** Seals what is there and closes the months that have ended (each month seal is signed, hence the key). */
async function seal(db: Database, config: HubConfig): Promise<number> {
  const key = await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey);
  const sealer = db.openMaintenancePool(1);
  try {
    const r = await sealAll(sealer, { wait: true, key });
    // A month closes once a mark taken after its end has settled: a second pass closes what the first one made closable.
    await sealAll(sealer, { wait: true, key });
    process.stdout.write(`sealed ${r.sealed} events\n`);
    return 0;
  } finally {
    await sealer.destroy();
  }
}

/** `hub audit …`: 0 done (or intact), 1 tampered, 2 usage. */
export async function runAudit(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    (sub === undefined ? process.stderr : process.stdout).write(`${AUDIT_USAGE}\n`);
    return 0;
  }
  if (!(sub in FLAGS)) {
    process.stderr.write(`hub audit: unknown command ${sub}\n${AUDIT_USAGE}\n`);
    return 2;
  }
  try {
    return await runAuditCommand(sub as AuditCommand, rest);
  } catch (error) {
    if (error instanceof HelpRequested) {
      process.stdout.write(`${commandUsage('hub audit', COMMANDS[sub as AuditCommand])}\n`);
      return 0;
    }
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`hub audit ${sub}: ${error.message}\n${commandUsage('hub audit', COMMANDS[sub as AuditCommand])}\n`);
    return 2;
  }
}

async function runAuditCommand(sub: AuditCommand, args: string[]): Promise<number> {
  parseFlags(args, FLAGS[sub]); // usage errors before the database is opened
  const config = loadConfig();
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  if (sub === 'public-key') {
    const key = await loadOrCreateSigningKey(config.dataDir, config.audit.signingKey);
    process.stdout.write(
      `${publicKeyPem(key.publicKey)}key id ${key.publicKey.keyId}; raw (base64) ${key.publicKey.raw.toString('base64')}\n`,
    );
    return 0;
  }
  if (sub === 'verify') {
    const { values } = parseFlags(args, FLAGS.verify);
    // An archive is verified alone, offline: no database is opened.
    if (values.archive !== undefined) return verifyArchiveCommand(config, values.archive, values['public-key'] ?? [], values.json ?? false);
  }
  const db = await openDatabase(config, log);
  try {
    if (sub === 'verify') return await verify(db, config, args);
    if (sub === 'archive') return await refusing('archive', () => archiveCommand(db, config, log, parseFlags(args, FLAGS.archive).values));
    if (sub === 'hold') return await refusing('hold', () => holdCommand(db, parseFlags(args, FLAGS.hold).values));
    if (sub === 'export') return await exportCommand(db, log, args);
    if (sub === 'checkpoint') return await checkpoint(db, config, log, args);
    return await seal(db, config);
  } finally {
    await db.close();
  }
}
