import type { Prng } from './prng';

/**
 * Health findings for demo assessments, modelled on what screening of returnees from the
 * Syrian and Iraqi camps typically reports: anaemia and malnutrition, incomplete
 * immunisation, latent TB, healed war injuries, trauma symptoms. Conditions carry ICD-10
 * codes because that is how clinics record them.
 */
export interface Finding {
  findings: string;
  conditions: readonly string[];
  treatmentPlan: string;
  followUp: boolean;
  /** Children only: does this finding keep the child out of school for now? */
  blocksSchool?: boolean;
  accommodation?: string;
  vaccination?: string;
  disability?: string;
  mentalHealthNotes?: string;
  /** "Nothing found" findings are never combined with others. */
  normal?: boolean;
}

const CHILD: readonly Finding[] = [
  {
    findings: 'Mild anaemia; underweight for age',
    conditions: ['D50.9 Iron deficiency anaemia', 'R62.8 Underweight for age'],
    treatmentPlan: 'Oral iron for 3 months; nutritional support; haemoglobin re-check in 6 weeks',
    followUp: true,
  },
  {
    findings: 'Latent TB screening negative; no acute findings',
    conditions: [],
    treatmentPlan: 'Routine check-ups by the family doctor',
    followUp: false,
    normal: true,
  },
  {
    findings: 'Latent TB infection (positive IGRA), chest X-ray clear',
    conditions: ['R76.1 Abnormal reaction to tuberculin test'],
    treatmentPlan: 'Preventive therapy under phthisiatrician supervision',
    followUp: true,
  },
  {
    findings: 'PTSD symptoms (nightmares, startle response), referred to psychologist',
    conditions: ['F43.1 Post-traumatic stress disorder'],
    treatmentPlan: 'Weekly sessions with a child psychologist; review in 3 months',
    followUp: true,
    accommodation: 'Quiet room available; forewarn before loud drills',
    mentalHealthNotes: 'Engages in play therapy; sleep improving slowly',
  },
  {
    findings: 'Incomplete immunisation, no vaccination records',
    conditions: ['Z28.3 Underimmunisation status'],
    treatmentPlan: 'Catch-up immunisation schedule',
    followUp: true,
    vaccination: 'Catch-up started: MMR, DTP, polio, hepatitis B',
  },
  {
    findings: 'Healed shrapnel injury to the left leg; mild gait impairment',
    conditions: ['T93.2 Sequelae of injury of lower limb'],
    treatmentPlan: 'Physiotherapy; orthopaedic review in 6 months',
    followUp: true,
    disability: 'Mild gait impairment (left leg)',
    accommodation: 'Ground-floor classroom; exempt from running in physical education',
  },
  {
    findings: 'Moderate acute malnutrition',
    conditions: ['E44.0 Moderate protein-energy malnutrition'],
    treatmentPlan: 'Therapeutic feeding; weekly weight checks',
    followUp: true,
    blocksSchool: true,
  },
  {
    findings: 'Scabies, treated; dental caries',
    conditions: ['B86 Scabies', 'K02.9 Dental caries'],
    treatmentPlan: 'Permethrin course completed; dental referral',
    followUp: false,
  },
  {
    findings: 'Speech delay; never attended school',
    conditions: ['F80.9 Developmental disorder of speech and language'],
    treatmentPlan: 'Speech therapy twice a week',
    followUp: true,
    accommodation: 'Literacy and state-language class before a regular grade',
  },
  {
    findings: 'Unilateral hearing loss (right) after blast exposure',
    conditions: ['H90.4 Sensorineural hearing loss, unilateral'],
    treatmentPlan: 'Hearing aid fitting; audiology review in 6 months',
    followUp: true,
    disability: 'Hearing loss, right ear',
    accommodation: 'Seat at the front of the class, teacher on the left side',
  },
  {
    findings: 'Vitamin D deficiency with signs of rickets',
    conditions: ['E55.0 Rickets, active'],
    treatmentPlan: 'Vitamin D and calcium; orthopaedic review',
    followUp: true,
  },
];

const ADULT: readonly Finding[] = [
  { findings: 'Mild anaemia', conditions: ['D50.9 Iron deficiency anaemia'], treatmentPlan: 'Oral iron for 3 months', followUp: true },
  {
    findings: 'Latent TB screening negative; general condition satisfactory',
    conditions: [],
    treatmentPlan: 'Routine check-up in 12 months',
    followUp: false,
    normal: true,
  },
  {
    findings: 'PTSD symptoms, referred to psychologist',
    conditions: ['F43.1 Post-traumatic stress disorder'],
    treatmentPlan: 'Psychotherapy at the rehabilitation centre; psychiatrist review',
    followUp: true,
    mentalHealthNotes: 'Sleep disturbance and intrusive memories; no suicidal ideation on screening',
  },
  {
    findings: 'Moderate depressive episode',
    conditions: ['F32.1 Moderate depressive episode'],
    treatmentPlan: 'Antidepressant started; weekly counselling',
    followUp: true,
    mentalHealthNotes: 'Low mood, worries about children and stigma in the neighbourhood',
  },
  {
    findings: 'Chronic hepatitis B, inactive carrier',
    conditions: ['B18.1 Chronic viral hepatitis B'],
    treatmentPlan: 'Hepatologist follow-up every 6 months',
    followUp: true,
  },
  {
    findings: 'Healed shrapnel wound to the right arm; chronic pain',
    conditions: ['T92.8 Sequelae of injury of upper limb', 'G89.2 Chronic pain'],
    treatmentPlan: 'Physiotherapy; analgesia as needed',
    followUp: true,
    disability: 'Reduced grip strength, right hand',
    accommodation: 'No heavy lifting at work',
  },
  {
    findings: 'Dental caries; vitamin D deficiency',
    conditions: ['K02.9 Dental caries', 'E55.9 Vitamin D deficiency'],
    treatmentPlan: 'Dental treatment; vitamin D supplementation',
    followUp: false,
  },
  {
    findings: 'Stage 1 hypertension',
    conditions: ['I10 Essential hypertension'],
    treatmentPlan: 'Lifestyle advice; blood pressure monitoring',
    followUp: true,
  },
];

export interface AssessmentContent {
  findings: string;
  conditions: string[];
  treatmentPlan: string;
  vaccination: string | null;
  disability: string | null;
  mentalHealthNotes: string | null;
  followUpNeeded: boolean;
  fitForSchool: boolean | null;
  accommodationsNeeded: string | null;
}

/** "Anaemia" → "anaemia" mid-sentence, but "PTSD …" and "TB …" keep their capitals. */
function midSentence(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function joined(parts: (string | undefined)[]): string | null {
  const present = parts.filter((p): p is string => p !== undefined);
  return present.length > 0 ? present.map((p, i) => (i === 0 ? p : midSentence(p))).join('; ') : null;
}

/** The first assessment, on arrival: one or two findings. `fitForSchool` is for children only. */
export function firstAssessment(rng: Prng, child: boolean): AssessmentContent {
  const catalog = child ? CHILD : ADULT;
  const picked: Finding[] = [rng.pick(catalog)];
  if (!picked[0].normal && rng.chance(0.35)) {
    const second = rng.pick(catalog);
    if (!second.normal && second !== picked[0]) picked.push(second);
  }
  return {
    findings: joined(picked.map((f) => f.findings)) ?? '',
    conditions: picked.flatMap((f) => f.conditions),
    treatmentPlan: joined(picked.map((f) => f.treatmentPlan)) ?? '',
    vaccination: joined(picked.map((f) => f.vaccination)) ?? (child ? 'Records missing; status unknown' : null),
    disability: joined(picked.map((f) => f.disability)),
    mentalHealthNotes: joined(picked.map((f) => f.mentalHealthNotes)),
    followUpNeeded: picked.some((f) => f.followUp),
    fitForSchool: child ? !picked.some((f) => f.blocksSchool) : null,
    accommodationsNeeded: joined(picked.map((f) => f.accommodation)),
  };
}

/** A follow-up months later: either the problems resolved, or they persist with therapy ongoing. */
export function followUpAssessment(rng: Prng, first: AssessmentContent, child: boolean): AssessmentContent {
  if (rng.chance(0.6)) {
    return {
      findings: 'Follow-up: earlier findings resolved; no new findings',
      conditions: [],
      treatmentPlan: 'Discharged from follow-up; routine check-ups',
      vaccination: first.vaccination?.startsWith('Catch-up') ? 'Catch-up schedule completed' : first.vaccination,
      disability: first.disability,
      mentalHealthNotes: first.mentalHealthNotes ? 'Symptoms markedly reduced; therapy concluded' : null,
      followUpNeeded: false,
      fitForSchool: child ? true : null,
      accommodationsNeeded: first.disability ? first.accommodationsNeeded : null,
    };
  }
  return {
    ...first,
    findings: `Follow-up: improving, treatment continues (${midSentence(first.findings)})`,
    treatmentPlan: `Continue: ${midSentence(first.treatmentPlan)}`,
    followUpNeeded: true,
    fitForSchool: child ? true : null,
  };
}
