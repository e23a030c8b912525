import type { Prng } from './prng';

/**
 * Central Asian personal names for demo data. Each entry is `Latin|Cyrillic`: the Latin form is
 * the spelling a passport office of that country would most likely use (the primary spelling
 * in the record); the Cyrillic form and a second transliteration of it go into `otherNames`,
 * because the real registries hold the same person under several spellings and search must
 * find all of them.
 *
 * Family names are stored in their masculine form; `familyNameFor` inflects them (Nurlanov →
 * Nurlanova), which is why a mother and her son have different, yet matching, family names.
 */
export type Country = 'KZ' | 'KG' | 'TJ' | 'UZ';
export const COUNTRIES: readonly Country[] = ['KZ', 'KG', 'TJ', 'UZ'];

interface NameLists {
  female: readonly string[];
  male: readonly string[];
  family: readonly string[];
  /** Kyrgyz usage: "Nurlan kyzy" rather than the Russian-style "Nurlanovna". */
  turkicPatronymic: boolean;
}

const NAMES: Record<Country, NameLists> = {
  KZ: {
    female: [
      'Aigerim|Айгерим',
      'Aruzhan|Аружан',
      'Dana|Дана',
      'Gulnara|Гульнара',
      'Zhanar|Жанар',
      'Saule|Сауле',
      'Madina|Мадина',
      'Aliya|Алия',
      'Assel|Асель',
      'Dinara|Динара',
      'Kamila|Камила',
      'Aizhan|Айжан',
      'Zhuldyz|Жулдыз',
      'Ainur|Айнур',
      'Meruert|Меруерт',
      'Botagoz|Ботагоз',
      'Symbat|Сымбат',
      'Akbota|Акбота',
      'Nazerke|Назерке',
      'Gulmira|Гульмира',
    ],
    male: [
      'Nurlan|Нурлан',
      'Yerlan|Ерлан',
      'Askar|Аскар',
      'Daniyar|Данияр',
      'Arman|Арман',
      'Nursultan|Нурсултан',
      'Timur|Тимур',
      'Alikhan|Алихан',
      'Dias|Диас',
      'Yernar|Ернар',
      'Aibek|Айбек',
      'Bauyrzhan|Бауыржан',
      'Rustem|Рустем',
      'Serik|Серик',
      'Alisher|Алишер',
      'Ansar|Ансар',
      'Amir|Амир',
      'Ilyas|Ильяс',
      'Abylai|Абылай',
      'Sanzhar|Санжар',
    ],
    family: [
      'Nurlanov|Нурланов',
      'Abenov|Абенов',
      'Zhaksylykov|Жаксылыков',
      'Serikbayev|Серикбаев',
      'Omarov|Омаров',
      'Tulegenov|Тулегенов',
      'Bekov|Беков',
      'Iskakov|Искаков',
      'Kassymov|Касымов',
      'Akhmetov|Ахметов',
      'Suleimenov|Сулейменов',
      'Zhumabayev|Жумабаев',
      'Yessimov|Есимов',
      'Sadykov|Садыков',
      'Baimukhanov|Баймуханов',
      'Mukhametov|Мухаметов',
      'Yerzhanov|Ержанов',
      'Utepov|Утепов',
    ],
    turkicPatronymic: false,
  },
  KG: {
    female: [
      'Aizada|Айзада',
      'Begimai|Бегимай',
      'Cholpon|Чолпон',
      'Aidai|Айдай',
      'Gulzat|Гулзат',
      'Aigul|Айгуль',
      'Zhyldyz|Жылдыз',
      'Aisuluu|Айсулуу',
      'Kanykei|Каныкей',
      'Nazgul|Назгуль',
      'Elnura|Элнура',
      'Meerim|Мээрим',
      'Burul|Бурул',
      'Altynai|Алтынай',
      'Saltanat|Салтанат',
      'Aiperi|Айпери',
      'Nurai|Нурай',
      'Asel|Асель',
    ],
    male: [
      'Azamat|Азамат',
      'Bakyt|Бакыт',
      'Nurbek|Нурбек',
      'Emir|Эмир',
      'Almaz|Алмаз',
      'Ulan|Улан',
      'Adilet|Адилет',
      'Kanat|Канат',
      'Tilek|Тилек',
      'Aibek|Айбек',
      'Bektur|Бектур',
      'Eldiyar|Элдияр',
      'Syimyk|Сыймык',
      'Ermek|Эрмек',
      'Nurlan|Нурлан',
      'Bayel|Баел',
    ],
    family: [
      'Asanov|Асанов',
      'Usenov|Усенов',
      'Toktogulov|Токтогулов',
      'Mamytov|Мамытов',
      'Abdyldayev|Абдылдаев',
      'Sydykov|Сыдыков',
      'Dzhumabekov|Джумабеков',
      'Osmonov|Осмонов',
      'Temirov|Темиров',
      'Bakirov|Бакиров',
      'Kadyrov|Кадыров',
      'Sultanov|Султанов',
      'Imanaliyev|Иманалиев',
      'Zhusupov|Жусупов',
      'Tashiyev|Ташиев',
      'Mambetov|Мамбетов',
    ],
    turkicPatronymic: true,
  },
  TJ: {
    female: [
      'Zarina|Зарина',
      'Mehrona|Меҳрона',
      'Shabnam|Шабнам',
      'Firuza|Фируза',
      'Nigina|Нигина',
      'Madina|Мадина',
      'Parvina|Парвина',
      'Sitora|Ситора',
      'Manizha|Манижа',
      'Gulnora|Гулнора',
      'Dilrabo|Дилрабо',
      'Farangis|Фарангис',
      'Tahmina|Таҳмина',
      'Munisa|Муниса',
      'Zebo|Зебо',
      'Shahnoza|Шаҳноза',
    ],
    male: [
      'Firdavs|Фирдавс',
      'Rustam|Рустам',
      'Farrukh|Фаррух',
      'Jamshed|Ҷамшед',
      'Behruz|Беҳруз',
      'Umed|Умед',
      'Daler|Далер',
      'Sino|Сино',
      'Suhrob|Суҳроб',
      'Bakhtiyor|Бахтиёр',
      'Ismoil|Исмоил',
      'Muhammad|Муҳаммад',
      'Parviz|Парвиз',
      'Shahzod|Шаҳзод',
      'Davron|Даврон',
      'Somon|Сомон',
    ],
    family: [
      'Rahmonzoda|Раҳмонзода',
      'Karimzoda|Каримзода',
      'Saidzoda|Саидзода',
      'Nazarzoda|Назарзода',
      'Sharifzoda|Шарифзода',
      'Qodirzoda|Қодирзода',
      'Yusufzoda|Юсуфзода',
      'Rahimov|Раҳимов',
      'Safarov|Сафаров',
      'Mirzoyev|Мирзоев',
      'Davlatov|Давлатов',
      'Kholov|Холов',
      'Nabiyev|Набиев',
      'Sharipov|Шарипов',
      'Qurbonov|Қурбонов',
      'Odinayev|Одинаев',
    ],
    turkicPatronymic: false,
  },
  UZ: {
    female: [
      'Dilnoza|Дилноза',
      'Malika|Малика',
      'Nodira|Нодира',
      'Gulnoza|Гулноза',
      'Zulfiya|Зулфия',
      'Shahlo|Шаҳло',
      'Feruza|Феруза',
      'Kamola|Камола',
      'Mohira|Моҳира',
      'Sevara|Севара',
      'Nilufar|Нилуфар',
      'Dildora|Дилдора',
      'Umida|Умида',
      'Barno|Барно',
      'Nargiza|Наргиза',
      'Yulduz|Юлдуз',
      'Gulchehra|Гулчеҳра',
    ],
    male: [
      'Jahongir|Жаҳонгир',
      'Sardor|Сардор',
      'Bekzod|Бекзод',
      'Otabek|Отабек',
      'Sherzod|Шерзод',
      'Javlon|Жавлон',
      'Ulugbek|Улуғбек',
      'Akmal|Акмал',
      'Doniyor|Дониёр',
      'Abdulloh|Абдуллоҳ',
      'Islom|Ислом',
      'Bobur|Бобур',
      'Asadbek|Асадбек',
      'Temur|Темур',
      'Sanjar|Санжар',
      'Ibrohim|Иброҳим',
    ],
    family: [
      'Karimov|Каримов',
      'Yusupov|Юсупов',
      'Tursunov|Турсунов',
      'Rahimov|Раҳимов',
      'Abdullayev|Абдуллаев',
      'Ergashev|Эргашев',
      'Nazarov|Назаров',
      'Mirzayev|Мирзаев',
      'Xolmatov|Холматов',
      'Usmonov|Усмонов',
      'Qodirov|Қодиров',
      'Sobirov|Собиров',
      'Ismoilov|Исмоилов',
      'Toshpulatov|Тошпўлатов',
      'Haydarov|Ҳайдаров',
      'Saidov|Саидов',
    ],
    turkicPatronymic: false,
  },
};

/** A name in its primary Latin spelling and in Cyrillic. */
export interface Name {
  latin: string;
  cyrillic: string;
}

function parse(entry: string): Name {
  const [latin, cyrillic] = entry.split('|');
  return { latin, cyrillic };
}

const PARSED = Object.fromEntries(
  COUNTRIES.map((c) => [
    c,
    {
      female: NAMES[c].female.map(parse),
      male: NAMES[c].male.map(parse),
      family: NAMES[c].family.map(parse),
      // Russian-style patronymics are only formed from names ending in a consonant here.
      fathers: NAMES[c].male.map(parse).filter((n) => /[^aeiouy]$/.test(n.latin)),
    },
  ]),
) as Record<Country, { female: Name[]; male: Name[]; family: Name[]; fathers: Name[] }>;

export type Sex = 'FEMALE' | 'MALE';

export function givenName(rng: Prng, country: Country, sex: Sex): Name {
  return rng.pick(sex === 'FEMALE' ? PARSED[country].female : PARSED[country].male);
}

/** A family name in its masculine (dictionary) form. */
export function familyNameBase(rng: Prng, country: Country): Name {
  return rng.pick(PARSED[country].family);
}

export function fatherName(rng: Prng, country: Country): Name {
  return rng.pick(PARSED[country].fathers);
}

/** Nurlanov → Nurlanova for women; -zoda and other endings do not inflect. */
export function familyNameFor(base: Name, sex: Sex): Name {
  if (sex === 'MALE') return base;
  return {
    latin: /(ov|ev|in)$/.test(base.latin) ? `${base.latin}a` : base.latin,
    cyrillic: /(ов|ев|ин)$/.test(base.cyrillic) ? `${base.cyrillic}а` : base.cyrillic,
  };
}

/** The masculine form of a family name (Latin or Cyrillic), so relatives of either sex compare equal. */
export function masculineFamilyName(name: string): string {
  return name.replace(/(ov|ev|in)a$/, '$1').replace(/(ов|ев|ин)а$/, '$1');
}

/** Patronymic from the father's given name: "Nurlanovna" / "Nurlanovich", in Kyrgyz usage "Nurlan kyzy". */
export function patronymicFor(country: Country, father: Name, sex: Sex): string {
  if (NAMES[country].turkicPatronymic) return `${father.latin} ${sex === 'FEMALE' ? 'kyzy' : 'uulu'}`;
  return `${father.latin}${sex === 'FEMALE' ? 'ovna' : 'ovich'}`;
}

// Two common ways of writing a Cyrillic name in Latin letters, so that `otherNames` holds a
// spelling that differs from the passport one the way real records do (Aigerim / Aygerim,
// Yerlan / Erlan, Xolmatov / Kholmatov, Jamshed / Dzhamshed).
const COMMON: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  ә: 'a',
  ғ: 'gh',
  қ: 'q',
  ң: 'ng',
  ө: 'o',
  ұ: 'u',
  ү: 'u',
  һ: 'h',
  і: 'i',
  ҳ: 'h',
  ҷ: 'j',
  ӣ: 'i',
  ӯ: 'u',
  ў: 'o',
};
/** Russian-passport (ICAO 9303) style, which is how many older documents were issued. */
const PASSPORT: Record<string, string> = {
  ...COMMON,
  ё: 'e',
  й: 'i',
  ю: 'iu',
  я: 'ia',
  ъ: 'ie',
  ғ: 'g',
  қ: 'k',
  ҳ: 'kh',
  ҷ: 'dzh',
  һ: 'kh',
};

function transliterate(cyrillic: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of cyrillic.toLowerCase()) out += table[ch] ?? ch;
  return out.replace(/(^|[\s-])(\p{L})/gu, (_m, sep: string, first: string) => sep + first.toUpperCase());
}

/**
 * `otherNames` for a person: the full name in Cyrillic, then one Latin transliteration that
 * differs from the primary spelling (when any does).
 */
export function otherNamesFor(given: Name, family: Name): string[] {
  const primary = `${given.latin} ${family.latin}`;
  const cyrillicFull = `${given.cyrillic} ${family.cyrillic}`;
  const out = [cyrillicFull];
  for (const table of [COMMON, PASSPORT]) {
    const alt = transliterate(cyrillicFull, table);
    if (alt.toLowerCase() !== primary.toLowerCase()) {
      out.push(alt);
      break;
    }
  }
  return out;
}
