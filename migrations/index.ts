import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125102154 } from './Migration20261125102154';
import { Migration20261125102155 } from './Migration20261125102155';
import { Migration20261125104712 } from './Migration20261125104712';
import { Migration20261125105049 } from './Migration20261125105049';
import { Migration20261125130000 } from './Migration20261125130000';
import { Migration20261125200000 } from './Migration20261125200000';
import { Migration20261126090000 } from './Migration20261126090000';
import { Migration20261202000000 } from './Migration20261202000000';
import { Migration20261202023645 } from './Migration20261202023645';
import { Migration20261202060000 } from './Migration20261202060000';
import { Migration20261207000000 } from './Migration20261207000000';
import { Migration20261210150000 } from './Migration20261210150000';
import { Migration20261210160000 } from './Migration20261210160000';
import { Migration20261211000000 } from './Migration20261211000000';
import { Migration20261212000000 } from './Migration20261212000000';
import { Migration20261213070100 } from './Migration20261213070100';
import { Migration20261213070200 } from './Migration20261213070200';
import { Migration20261214090000 } from './Migration20261214090000';
import { Migration20261215000000 } from './Migration20261215000000';
import { Migration20261216090000 } from './Migration20261216090000';
import { Migration20261217000000 } from './Migration20261217000000';
import { Migration20261220000000 } from './Migration20261220000000';
import { Migration20261221000000 } from './Migration20261221000000';
import { Migration20261222000000 } from './Migration20261222000000';
import { Migration20261222010000 } from './Migration20261222010000';
import { Migration20261223000000 } from './Migration20261223000000';
import { Migration20261223000100 } from './Migration20261223000100';
import { Migration20261224000000 } from './Migration20261224000000';
import { Migration20261226000000 } from './Migration20261226000000';
import { Migration20261227100000 } from './Migration20261227100000';
import { Migration20261227600000 } from './Migration20261227600000';

/**
 * Every migration, in order. Listed explicitly so compiled runs, jest and the CLI apply the
 * same set; a test fails when a file in this folder is missing here.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261125102154', class: Migration20261125102154 },
  { name: 'Migration20261125102155', class: Migration20261125102155 },
  { name: 'Migration20261125104712', class: Migration20261125104712 },
  { name: 'Migration20261125105049', class: Migration20261125105049 },
  { name: 'Migration20261125130000', class: Migration20261125130000 },
  { name: 'Migration20261125200000', class: Migration20261125200000 },
  { name: 'Migration20261126090000', class: Migration20261126090000 },
  { name: 'Migration20261202000000', class: Migration20261202000000 },
  { name: 'Migration20261202023645', class: Migration20261202023645 },
  { name: 'Migration20261202060000', class: Migration20261202060000 },
  { name: 'Migration20261207000000', class: Migration20261207000000 },
  { name: 'Migration20261210150000', class: Migration20261210150000 },
  { name: 'Migration20261210160000', class: Migration20261210160000 },
  { name: 'Migration20261211000000', class: Migration20261211000000 },
  { name: 'Migration20261212000000', class: Migration20261212000000 },
  { name: 'Migration20261213070100', class: Migration20261213070100 },
  { name: 'Migration20261213070200', class: Migration20261213070200 },
  { name: 'Migration20261214090000', class: Migration20261214090000 },
  { name: 'Migration20261215000000', class: Migration20261215000000 },
  { name: 'Migration20261216090000', class: Migration20261216090000 },
  { name: 'Migration20261217000000', class: Migration20261217000000 },
  { name: 'Migration20261220000000', class: Migration20261220000000 },
  { name: 'Migration20261221000000', class: Migration20261221000000 },
  { name: 'Migration20261222000000', class: Migration20261222000000 },
  { name: 'Migration20261222010000', class: Migration20261222010000 },
  { name: 'Migration20261223000000', class: Migration20261223000000 },
  { name: 'Migration20261223000100', class: Migration20261223000100 },
  { name: 'Migration20261224000000', class: Migration20261224000000 },
  { name: 'Migration20261226000000', class: Migration20261226000000 },
  { name: 'Migration20261227100000', class: Migration20261227100000 },
  { name: 'Migration20261227600000', class: Migration20261227600000 },
];
