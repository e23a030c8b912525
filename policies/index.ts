import type { Sector, SectorPolicy } from '../src/access/policy';
import { administrationPolicy } from './administration.policy';
import { educationPolicy } from './education.policy';
import { healthPolicy } from './health.policy';
import { ngoPolicy } from './ngo.policy';
import { oversightPolicy } from './oversight.policy';
import { socialPolicy } from './social.policy';

/** Every sector has exactly one policy; a sector missing here sees nothing (deny by default). */
export const POLICIES: Readonly<Record<Sector, SectorPolicy>> = {
  HEALTH: healthPolicy,
  EDUCATION: educationPolicy,
  SOCIAL: socialPolicy,
  NGO: ngoPolicy,
  OVERSIGHT: oversightPolicy,
  ADMINISTRATION: administrationPolicy,
};
