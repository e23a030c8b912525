import { loadOrCreateSigningKey, type TrustedKey } from '../../src/trail/audit-signing-key';
import { loadConfig } from '../../src/config';
import { sqlClient } from './hub';

/**
 * The public key of the hubs the suites start without HUB_AUDIT_SIGNING_KEY (the key file in
 * the default data directory): they sign a checkpoint at start and at shutdown, which a
 * verification must trust.
 */
export async function hubPublicKey(): Promise<TrustedKey> {
  return (await loadOrCreateSigningKey(loadConfig({ NODE_ENV: 'test' }).dataDir)).publicKey;
}

export interface AuditRow {
  id: string;
  request_id: string;
  staff_id: string | null;
  agency_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  returnee_id: string | null;
  fields: string[];
  denied_fields: string[];
  purpose: string | null;
  operation: string | null;
  outcome: string;
  reason: string | null;
}

/** Audit rows written by one staff member (fixtures give every test its own staff). */
export async function auditRowsFor(staffId: string): Promise<AuditRow[]> {
  const client = await sqlClient();
  try {
    const { rows } = await client.query<AuditRow>('select * from audit_event where staff_id = $1 order by id', [staffId]);
    return rows;
  } finally {
    await client.end();
  }
}
