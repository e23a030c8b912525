import { randomUUID } from 'node:crypto';
import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Agency } from '../agency/agency.entity';
import type { Role } from '../access/policy';

/** A person who signs in. Roles and agency live here, never in the token. */
@Entity({ tableName: 'staff_member' })
export class StaffMember {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 64, unique: true })
  username: string;

  @Property({ type: 'string', length: 200 })
  displayName: string;

  @ManyToOne(() => Agency, { ref: true, index: true })
  agency: Ref<Agency>;

  @Property({ type: 'text[]' })
  roles: Role[];

  @Property({ type: 'boolean' })
  active: boolean = true;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  deactivatedAt?: Date;

  constructor(username: string, displayName: string, agency: Ref<Agency>, roles: Role[]) {
    this.username = username;
    this.displayName = displayName;
    this.agency = agency;
    this.roles = roles;
  }
}
