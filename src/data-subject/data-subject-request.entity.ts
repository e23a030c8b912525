import { randomUUID } from 'node:crypto';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export const DSR_KINDS = ['ACCESS', 'RECTIFICATION', 'OBJECTION', 'ERASURE', 'RESTRICTION'] as const;
export type DsrKind = (typeof DSR_KINDS)[number];
export const DSR_OUTCOMES = ['FULFILLED', 'PARTLY_FULFILLED', 'REFUSED', 'WITHDRAWN'] as const;
export type DsrOutcome = (typeof DSR_OUTCOMES)[number];
export const DSR_STATUSES = ['OPEN', 'COMPLETED'] as const;
export type DsrStatus = (typeof DSR_STATUSES)[number];

/**
 * A data-subject request: the person asked to see, correct, object to, erase or restrict the
 * use of their record. Recorded by the agency that registered them (`agencyId`, fixed when
 * recorded), due `dueOn` (received + HUB_DSR_DUE_DAYS, fixed when recorded so a change of the
 * setting does not move past deadlines), completed once with an outcome. It holds no value of
 * the record: only the kind, the dates, the outcome and free-text notes, which the
 * registering agency's staff read and auditors do not (docs/statement.md). Never deleted.
 */
@Entity({ tableName: 'data_subject_request' })
@Index({ properties: ['agencyId', 'status', 'dueOn'] })
@Index({ properties: ['returneeId', 'receivedOn'] })
export class DataSubjectRequest {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'uuid' })
  returneeId: string;

  @Property({ type: 'uuid' })
  agencyId: string;

  @Property({ type: 'string', length: 16 })
  kind: DsrKind;

  @Property({ type: 'date' })
  receivedOn: string;

  @Property({ type: 'date' })
  dueOn: string;

  @Property({ type: 'string', length: 16 })
  status: DsrStatus = 'OPEN';

  @Property({ type: 'text', nullable: true })
  note?: string;

  @Property({ type: 'string', length: 20, nullable: true })
  outcome?: DsrOutcome;

  @Property({ type: 'text', nullable: true })
  outcomeNote?: string;

  @Property({ type: 'uuid' })
  recordedBy: string;

  @Property({ type: 'timestamptz' })
  recordedAt: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  completedBy?: string;

  @Property({ type: 'timestamptz', nullable: true })
  completedAt?: Date;

  /** When the `data_subject_request.due` webhook was written for it (due-notices.ts); null until then. */
  @Property({ type: 'timestamptz', nullable: true })
  dueNotifiedAt?: Date;

  constructor(init: {
    returneeId: string;
    agencyId: string;
    kind: DsrKind;
    receivedOn: string;
    dueOn: string;
    note?: string;
    recordedBy: string;
  }) {
    this.returneeId = init.returneeId;
    this.agencyId = init.agencyId;
    this.kind = init.kind;
    this.receivedOn = init.receivedOn;
    this.dueOn = init.dueOn;
    this.note = init.note;
    this.recordedBy = init.recordedBy;
  }
}
