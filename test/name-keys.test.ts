import { keysOfName, nameKeysOf } from '../src/dedup/name-keys';
import { scoreMatch } from '../src/dedup/match-score';

/**
 * The folding rules on their own (no database): each row is two spellings of one name that must
 * give the same keys, and the rows below them names that must not. The HTTP suites
 * (dedup-matching, dedup-scope) check the whole path.
 */
const SAME: [string, string, 'given' | 'family' | 'patronymic'][] = [
  ['Айгерим', 'Ayğerim', 'given'],
  ['Нурланова', 'Nurlanqyzy', 'family'],
  ['Nurlan kyzy', 'Нурлановна', 'patronymic'],
  ['Karim oʻgʻli', 'Каримович', 'patronymic'],
  ['Жулдыз', 'Jūldyz', 'given'],
  ['Ерлан', 'Yerlan', 'given'],
  ['Есимов', 'Yessimov', 'family'],
  ['Мээрим', 'Merim', 'given'],
  ['Айсулуу', 'Aysulu', 'given'],
  ['Абдылдаев', 'Abdyldayev', 'family'],
  ['Ҷамшед', 'Dzhamshed', 'given'],
  ['Қодирзода', 'Kodirzade', 'family'],
  ['Раҳмонов', 'Rahmonzoda', 'family'],
  ['Меҳрона', 'Mekhrona', 'given'],
  ['Тошпўлатов', 'Toshpo‘latov', 'family'],
  ['Улуғбек', "Ulug'bek", 'given'],
  ['Холматов', 'Xolmatov', 'family'],
  ['Ёқубжон', 'Yoqubjon', 'given'],
  ['Юлия', 'Iuliia', 'given'],
  ['Щербакова', 'Shcherbakova', 'family'],
  ['Ильяс', 'Iliyas', 'given'],
  ['Марьям', 'Marjam', 'given'],
  ['Шаҳноза', 'Şahnoza', 'given'],
  ['Чолпон', 'Çolpon', 'given'],
];

const DIFFERENT: [string, string, 'given' | 'family'][] = [
  ['Aigerim', 'Aizhan', 'given'],
  ['Zarina', 'Madina', 'given'],
  ['Nurlanova', 'Serikbayeva', 'family'],
  ['Karimova', 'Kadyrova', 'family'],
];

it.each(SAME)('%s and %s give the same keys', (a, b, role) => {
  expect(keysOfName(a, role)).toEqual(keysOfName(b, role));
  expect(keysOfName(a, role).length).toBeGreaterThan(0);
});

it.each(DIFFERENT)('%s and %s do not', (a, b, role) => {
  expect(keysOfName(a, role)).not.toEqual(keysOfName(b, role));
});

it('keeps given names whole: a given name that ends like a suffix is not stripped', () => {
  expect(keysOfName('Aisuluu', 'given')).toEqual(['aisulu']);
  expect(keysOfName('Shahzod', 'given')).toEqual(['wahzod']);
  expect(nameKeysOf({ givenName: 'Aigerim', familyName: 'Nurlanova', otherNames: ['Айгерим Нурланова'] })).toEqual({
    nameKey: 'aigerim nurlan',
    givenKey: 'aigerim',
    familyKey: 'nurlan',
    namePairs: ['aigerim|nurlan', 'nurlanova|aigerim', 'nurlan|aigerim'],
  });
});

it('scores names that only a patronymic links (Kazakh surname from the father) as the same family name', () => {
  const result = scoreMatch(
    { givenName: 'Ayğerim', familyName: 'Nurlanqyzy', sex: 'FEMALE', dateOfBirth: '1994-01-01', dateOfBirthEstimated: true },
    {
      givenName: 'Айгерим',
      familyName: 'Серикбаева',
      patronymic: 'Нурлановна',
      sex: 'FEMALE',
      dateOfBirth: '1994-03-12',
      dateOfBirthEstimated: false,
    },
  );
  expect(result.reasons.find((r) => r.code === 'FAMILY_NAME_EQUAL')?.fields).toEqual(['familyName', 'patronymic']);
  expect(result.score).toBeGreaterThan(0.5);
});
