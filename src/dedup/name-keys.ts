/**
 * Name keys: one comparable spelling per name, whatever script or transliteration it was
 * written in. "Айгерим Нурланова", "Aigerim Nurlanova", "Aygerim Nurlanova" and
 * "Ayğerim Nurlanqyzy" all give the keys `aigerim` and `nurlan`.
 *
 * Three steps:
 * 1. Script: any-ascii (a maintained Unicode → ASCII table) turns Kazakh, Kyrgyz, Tajik, Uzbek
 *    and Russian Cyrillic into Latin (ә→a ғ→gh қ→q ң→ng ө→o ұ→u ү→u һ→h і→i ў→u ҳ→h ҷ→j ӣ→i
 *    ӯ→u), and every other script into something comparable. A few letters are taken first,
 *    where its answer would lose an equivalence we need: ş ç (Kazakh 2021, Turkish) would lose
 *    their "h", the Uzbek oʻ gʻ their letter, ё its "yo".
 * 2. Folding: the informal equivalences become one spelling each: zh/j/dzh/dj, kh/h/x,
 *    sh/sch, ch/c, gh/g, q/k, ng/n, y/i/ı, the glides ya/ia/ja, yo/io/jo, yu/iu/ju, ye/ie
 *    (initial "Ye" = "E"), doubled letters (Assel/Asel, Aisuluu/Aisulu).
 * 3. Suffixes (family names and patronymics only): -ova/-ov/-eva/-ev, -ovna/-ovich,
 *    -qyzy/-kyzy/-qizi, -uly/-uulu/-ugli, -zoda/-zade are stripped, so Nurlanova, Nurlanov,
 *    Nurlanovna, Nurlanqyzy and "Nurlan kyzy" share the root `nurlan`, and Rahmonov (Soviet
 *    spelling) and Rahmonzoda (Tajik) share `rahmon`.
 *
 * Keys are stored per record (name-key-store.ts) and searched with pg_trgm; they are never
 * shown to clients. Changing any rule here changes keys: bump NAME_KEY_VERSION, and the hub
 * recomputes the stored keys of every record in the background.
 */

// any-ascii ships as an ES module only. Node loads it with require(esm) (Node 20.19+);
// TypeScript's node16 module mode cannot type that import, hence the typed require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const anyAscii: (text: string) => string = require('any-ascii').default;

export const NAME_KEY_VERSION = 1;

/** Letters taken before any-ascii: its answer would drop what makes them equal to a digraph. */
const BEFORE_LIBRARY: readonly [RegExp, string][] = [
  [/[şșš]/g, 'sh'], // Kazakh 2021 / Turkish ş, Romanian-style ș typed for it, ISO 9 š
  [/[çč]/g, 'ch'],
  [/ž/g, 'zh'],
  [/ё/g, 'yo'], // any-ascii gives "e"; the documents write yo/io/jo
  [/o['ʻʼ’‘`]/g, 'u'], // Uzbek Latin oʻ = Cyrillic ў, which any-ascii gives as "u"
  [/g['ʻʼ’‘`]/g, 'g'], // Uzbek Latin gʻ = ғ
  [/İ/g, 'i'], // the dotted capital lower-cases to i + a combining dot
];

/** On lower-case ASCII words, in order: each rule sees the output of the ones before. */
const FOLDS: readonly [RegExp, string][] = [
  [/dzh|dj|zh|j/g, 'J'], // ж ҷ; upper-case letters are the folded sounds, never input
  [/shch|sch|sh/g, 'S'], // ш щ ş
  [/tch|ch|c/g, 'C'], // ч ç, and lone c (Kazakh Latin 2017)
  [/kh|x/g, 'h'], // х: kh (Russian passports), x (Uzbek Latin), h (Kazakh Latin, Tajik ҳ/һ)
  [/gh/g, 'g'], // ғ: gh, g, ğ
  [/ck|q/g, 'k'], // қ: q (Kazakh, Uzbek Latin), k (Russian spelling)
  [/ng/g, 'n'], // ң: ng, ñ, n
  [/ph/g, 'f'],
  [/w/g, 'v'],
  [/y/g, 'i'], // й ы і ı y i
  [/(?<=[lrmnstvbpfkgz])J(?=[aeiou])/g, 'i'], // ja/jo/ju after a consonant is я/ё/ю (Marjam, Ilja)
  [/^i(?=[aeiou])/g, ''], // initial ya/ye/yo/yu: Yerlan = Erlan, Yakub = Iakub = Akub
  [/(?<=[aeiou])i(?=[aeiou])/g, ''], // a glide between vowels: Abdullayev = Abdullaev
  [/(.)\1+/g, '$1'], // doubled letters: Assel/Asel, Aisuluu/Aisulu, Iliyas → iliias → ilias
];

/** Endings of family names and patronymics, longest first, on folded words. */
const SUFFIXES: readonly string[] = [
  'ovna',
  'evna',
  'ovic',
  'evic',
  'kizi',
  'ugli',
  'zoda',
  'zade',
  'ova',
  'eva',
  'uli',
  'ulu',
  'ov',
  'ev',
];

/** Words that only say "son of" / "daughter of": "Nurlan kyzy", "Karim oʻgʻli". */
const PATRONYMIC_WORDS: ReadonlySet<string> = new Set(['kizi', 'ulu', 'uli', 'ugli', 'ogli', 'oglu']);

/** A stripped root shorter than this is more likely a different name than the same one. */
const MIN_ROOT = 3;

/** Lower-case ASCII words of a name, script and diacritics resolved. */
export function asciiWords(text: string): string[] {
  let s = text.normalize('NFC').replace(/İ/g, 'i').toLowerCase();
  for (const [from, to] of BEFORE_LIBRARY) s = s.replace(from, to);
  return anyAscii(s)
    .toLowerCase()
    .replace(/['`"]/g, '') // soft and hard signs, apostrophes: Ильяс → il'yas → ilyas
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0);
}

/** The folded sounds' letters: each is free once its spellings are folded (j→J, c→C, sh→S). */
const MARKERS: Readonly<Record<string, string>> = { J: 'j', S: 'w', C: 'c' };

/** The folded spelling of one ASCII word (see FOLDS), in lower case. */
export function foldWord(word: string): string {
  let s = word;
  for (const [from, to] of FOLDS) s = s.replace(from, to);
  return s.replace(/[JSC]/g, (m) => MARKERS[m]);
}

function stripSuffix(folded: string): string {
  for (const suffix of SUFFIXES) {
    if (folded.endsWith(suffix) && folded.length - suffix.length >= MIN_ROOT) return folded.slice(0, -suffix.length);
  }
  return folded;
}

export type NameRole = 'given' | 'family' | 'patronymic';

/**
 * Keys already computed, by role and name. Scoring the 40 candidates of one check folds the same
 * few names dozens of times (each reading of each record, the input's against each candidate):
 * ~25 µs each, most of a check's time in the hub before this. Derived from what the process
 * already handles, bounded, and emptied when full.
 */
const KEY_CACHE = new Map<string, readonly string[]>();
const KEY_CACHE_SIZE = 5_000;

/** Keys of one name field. Family names and patronymics lose their endings; "kyzy" words are dropped. */
export function keysOfName(text: string | null | undefined, role: NameRole): string[] {
  if (!text) return [];
  const id = `${role}\u0000${text}`;
  let keys = KEY_CACHE.get(id);
  if (!keys) {
    const folded = asciiWords(text).map(foldWord);
    keys = (role === 'given' ? folded : folded.filter((w) => !PATRONYMIC_WORDS.has(w)).map(stripSuffix)).filter((k) => k.length > 0);
    if (KEY_CACHE.size >= KEY_CACHE_SIZE) KEY_CACHE.clear();
    KEY_CACHE.set(id, keys);
  }
  return [...keys];
}

export interface PersonName {
  givenName?: string | null;
  familyName?: string | null;
  patronymic?: string | null;
  otherNames?: readonly string[] | null;
}

export interface NameKeys {
  /** The primary name, "<given keys> <family keys>": what orders candidates. */
  nameKey: string;
  /** Each half of it, searched with pg_trgm. */
  givenKey: string;
  familyKey: string;
  /**
   * "given|family" for every way the record names the person: its fields, in either order (a
   * clerk may swap them), the patronymic as family name (a Kazakh surname can be the father's
   * name + qyzy/uly), and each other spelling read as "Given Family" and as "Family Given".
   */
  namePairs: string[];
}

/** The pair a search looks for: "<given keys>|<family keys>". */
export function namePair(givenKey: string, familyKey: string): string {
  return `${givenKey}|${familyKey}`;
}

/** The stored keys of a person. */
export function nameKeysOf(person: PersonName): NameKeys {
  const given = keysOfName(person.givenName, 'given').join(' ');
  const family = keysOfName(person.familyName, 'family').join(' ');
  const patronymic = keysOfName(person.patronymic, 'patronymic').join(' ');
  const pairs = new Set([namePair(given, family), namePair(family, given), namePair(given, patronymic)]);
  for (const other of person.otherNames ?? []) {
    const words = other.split(/\s+/).filter((w) => w.length > 0);
    if (words.length < 2) continue;
    pairs.add(namePair(keysOfName(words[0], 'given').join(' '), keysOfName(words.slice(1).join(' '), 'family').join(' ')));
    pairs.add(
      namePair(keysOfName(words[words.length - 1], 'given').join(' '), keysOfName(words.slice(0, -1).join(' '), 'family').join(' ')),
    );
  }
  const namePairs = [...pairs].filter((p) => !p.startsWith('|') && !p.endsWith('|')).sort();
  return { nameKey: `${given} ${family}`.trim(), givenKey: given, familyKey: family, namePairs };
}

/** A place name folded like a given name (for "Raqqa" / "Ракка" / "ar-Raqqah"). */
export function placeKey(text: string | null | undefined): string {
  return keysOfName(text, 'given').join(' ');
}
