import { randomUUID } from 'node:crypto';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import { SECTORS, type Sector } from '../access/policy';

/** An agency (ministry department, clinic, school, NGO) whose staff use the hub. */
@Entity({ tableName: 'agency' })
export class Agency {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** Stable human-readable code, e.g. `kz-aqtobe-health`. */
  @Property({ type: 'string', length: 64, unique: true })
  code: string;

  @Property({ type: 'string', length: 200 })
  name: string;

  @Enum({ items: () => [...SECTORS], type: 'string' })
  sector: Sector;

  /** ISO 3166-1 alpha-2. */
  @Property({ type: 'character', length: 2 })
  country: string;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  constructor(code: string, name: string, sector: Sector, country: string) {
    this.code = code;
    this.name = name;
    this.sector = sector;
    this.country = country;
  }
}
