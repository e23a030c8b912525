import type { Country } from './names';
import { addDays, randomDate, type Prng } from './prng';

/**
 * Places, phone formats and repatriation waves for demo data. Regions are the ones returnees
 * are publicly reported to have settled in; districts and streets are real place names, house
 * numbers and phone numbers are random (subscriber numbers start with 0, which operators do
 * not issue, so a demo number does not ring a real person).
 */
export const COUNTRY_NAMES: Record<Country, string> = {
  KZ: 'Kazakhstan',
  KG: 'Kyrgyzstan',
  TJ: 'Tajikistan',
  UZ: 'Uzbekistan',
};

/** Region → districts (or towns) of that region. */
export const REGIONS: Record<Country, Record<string, readonly string[]>> = {
  KZ: {
    Aqtobe: ['Astana district', 'Almaty district', 'Khromtau district', 'Kandyagash'],
    Qaraghandy: ['Kazybek Bi district', 'Alikhan Bokeikhan district', 'Temirtau', 'Saran'],
    Almaty: ['Auezov district', 'Bostandyk district', 'Alatau district', 'Turksib district'],
    Shymkent: ['Abay district', 'Al-Farabi district', 'Karatau district', 'Yenbekshi district'],
  },
  KG: {
    Bishkek: ['Sverdlov district', 'Lenin district', 'Oktyabr district', 'Pervomay district'],
    Osh: ['Osh city', 'Kara-Suu district', 'Aravan district', 'Nookat district'],
    'Jalal-Abad': ['Jalal-Abad city', 'Suzak district', 'Bazar-Korgon district', 'Nooken district'],
  },
  TJ: {
    Dushanbe: ['Ismoili Somoni district', 'Sino district', 'Firdavsi district', 'Shohmansur district'],
    Khatlon: ['Bokhtar', 'Kulob', 'Danghara', 'Vose district'],
    Sughd: ['Khujand', 'Istaravshan', 'Isfara', 'Panjakent'],
  },
  UZ: {
    Tashkent: ['Chilonzor district', 'Yunusobod district', 'Mirzo Ulugbek district', 'Sergeli district'],
    Andijan: ['Andijan city', 'Asaka district', 'Shahrikhon district', 'Khojaobod district'],
    Ferghana: ['Ferghana city', 'Margilan', 'Kokand', 'Quva district'],
  },
};

const STREETS: Record<Country, readonly string[]> = {
  KZ: [
    'Abai Avenue',
    'Tole Bi Street',
    'Satpayev Street',
    'Zheltoqsan Street',
    'Baitursynov Street',
    'Al-Farabi Avenue',
    'Nauryzbai Batyr Street',
    'Kazybek Bi Street',
  ],
  KG: [
    'Chui Avenue',
    'Manas Avenue',
    'Kurmanjan Datka Street',
    'Ibraimov Street',
    'Toktogul Street',
    'Jibek Jolu Avenue',
    'Masaliev Avenue',
  ],
  TJ: [
    'Rudaki Avenue',
    'Ismoili Somoni Avenue',
    'Ayni Street',
    'Mirzo Tursunzoda Street',
    'Bokhtar Street',
    'Sino Street',
    'Kamoli Khujandi Street',
  ],
  UZ: ['Amir Temur Street', 'Navoi Street', 'Bobur Street', 'Mustaqillik Street', 'Bunyodkor Avenue', 'Furqat Street', 'Mashrab Street'],
};

export function pickRegion(rng: Prng, country: Country): string {
  return rng.pick(Object.keys(REGIONS[country]));
}

export function pickDistrict(rng: Prng, country: Country, region: string): string {
  return rng.pick(REGIONS[country][region]);
}

export function fakeAddress(rng: Prng, country: Country): string {
  const house = `${rng.pick(STREETS[country])} ${rng.int(1, 180)}`;
  return rng.chance(0.6) ? `${house}, apt ${rng.int(1, 96)}` : house;
}

function digits(rng: Prng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

/** A mobile number in the country's format (+7 7xx for Kazakhstan, +996, +992, +998). */
export function fakePhone(rng: Prng, country: Country): string {
  const sub = `0${digits(rng, 6)}`;
  switch (country) {
    case 'KZ':
      return `+7 ${rng.pick(['701', '702', '705', '707', '747', '771', '775', '777'])} ${sub.slice(0, 3)} ${sub.slice(3, 5)} ${sub.slice(5)}`;
    case 'KG':
      return `+996 ${rng.pick(['555', '700', '707', '770', '772', '990'])} ${sub.slice(0, 3)} ${sub.slice(3, 6)}`;
    case 'TJ':
      return `+992 ${rng.pick(['90', '91', '92', '93', '98', '55'])} ${sub.slice(0, 3)} ${sub.slice(3)}`;
    case 'UZ':
      return `+998 ${rng.pick(['90', '91', '93', '94', '97', '99'])} ${sub.slice(0, 3)} ${sub.slice(3, 5)} ${sub.slice(5)}`;
  }
}

/**
 * Repatriation operations by approximate date, modelled on the publicly reported ones
 * (Kazakhstan's "Zhusan" and "Rusafa", Uzbekistan's "Mehr", Kyrgyzstan's "Meerim",
 * Tajikistan's returns from Iraq and Syria); dates and sizes are approximate and the later
 * waves illustrative, which is all demo data needs. `weight` is the wave's share of families.
 * `childrenOnly` waves brought children whose mothers stayed behind (e.g. imprisoned in
 * Iraq), placed with relatives appointed as guardians; they are weighted below their real
 * size so that about one child in ten is an orphan overall, as the demo calls for.
 */
export interface Wave {
  date: string;
  from: 'SY' | 'IQ';
  weight: number;
  childrenOnly?: boolean;
}

export const WAVES: Record<Country, readonly Wave[]> = {
  KZ: [
    { date: '2019-01-06', from: 'SY', weight: 47 },
    { date: '2019-05-09', from: 'SY', weight: 231 },
    { date: '2019-05-30', from: 'SY', weight: 238 },
    { date: '2019-11-21', from: 'IQ', weight: 10, childrenOnly: true },
    { date: '2021-02-04', from: 'SY', weight: 24 },
    { date: '2022-11-24', from: 'SY', weight: 20 },
    { date: '2023-06-15', from: 'SY', weight: 30 },
  ],
  KG: [
    { date: '2021-03-16', from: 'IQ', weight: 25, childrenOnly: true },
    { date: '2023-02-10', from: 'SY', weight: 59 },
    { date: '2024-04-25', from: 'SY', weight: 98 },
    { date: '2025-08-14', from: 'SY', weight: 60 },
  ],
  TJ: [
    { date: '2019-04-30', from: 'IQ', weight: 30, childrenOnly: true },
    { date: '2022-07-20', from: 'SY', weight: 146 },
    { date: '2023-10-12', from: 'SY', weight: 50 },
    { date: '2025-05-22', from: 'SY', weight: 60 },
  ],
  UZ: [
    { date: '2019-05-30', from: 'SY', weight: 156 },
    { date: '2019-10-10', from: 'IQ', weight: 20, childrenOnly: true },
    { date: '2020-12-03', from: 'SY', weight: 98 },
    { date: '2021-04-29', from: 'SY', weight: 93 },
    { date: '2022-02-16', from: 'SY', weight: 40 },
    { date: '2024-03-19', from: 'SY', weight: 50 },
  ],
};

/** Share of families that came back on their own rather than with an organised operation. */
const PRIVATE_RETURN_SHARE = 0.08;

export interface Return {
  returnedOn: string;
  returnedFrom: 'SY' | 'IQ';
  childrenOnly: boolean;
}

export function pickReturn(rng: Prng, country: Country): Return {
  if (rng.chance(PRIVATE_RETURN_SHARE)) {
    return { returnedOn: randomDate(rng, '2019-01-01', '2025-12-31'), returnedFrom: rng.chance(0.8) ? 'SY' : 'IQ', childrenOnly: false };
  }
  const wave = rng.weighted(WAVES[country], (w) => w.weight);
  // A wave's people arrive on the day of the flight or, for stragglers, within a few days.
  const returnedOn = rng.chance(0.85) ? wave.date : addDays(wave.date, rng.int(1, 10));
  return { returnedOn, returnedFrom: wave.from, childrenOnly: wave.childrenOnly ?? false };
}

/** Where a child born abroad was born: towns before the camps filled (2019), camps after. */
export function placeOfBirthAbroad(rng: Prng, from: 'SY' | 'IQ', birthDate: string): string {
  if (from === 'IQ') {
    return birthDate < '2017-07-01'
      ? rng.pick(['Mosul, Iraq', 'Tal Afar, Iraq', 'Hawija, Iraq'])
      : rng.pick(['Baghdad, Iraq', 'Mosul, Iraq']);
  }
  if (birthDate >= '2019-03-01') return rng.pick(['Al-Hol camp, Syria', 'Al-Hol camp, Syria', 'Roj camp, Syria']);
  return rng.pick(['Raqqa, Syria', 'Raqqa, Syria', 'Deir ez-Zor, Syria', 'Al-Mayadin, Syria', 'Hajin, Syria', 'Baghuz, Syria']);
}

/** Where a person born before the family left was born: a town of the home region. */
export function placeOfBirthAtHome(country: Country, region: string): string {
  return `${region}, ${COUNTRY_NAMES[country]}`;
}
