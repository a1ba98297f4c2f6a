/** The rules names are compared by (src/models/names.ts), for entity resolution and suggestions. */
import { foldKeepingOffsets, isSpellingVariant, nameKey, slugOf } from '../../src/models/names';

test('a key ignores case, diacritics, punctuation and a leading "the"', () => {
  expect(nameKey('the Kremlin')).toBe('kremlin');
  expect(nameKey('KREMLIN')).toBe('kremlin');
  expect(nameKey('Nicolás Maduro')).toBe('nicolas maduro');
  expect(nameKey('Ukraine’s  allies.')).toBe('ukraines allies');
  expect(nameKey('Theresa May')).toBe('theresa may');
});

test('a spelling variant is one edit in the letters of a name of 6 letters or more', () => {
  expect(isSpellingVariant(nameKey('Zelenskyy'), nameKey('Zelensky'))).toBe(true);
  expect(isSpellingVariant(nameKey('Volodymyr Zelenskyy'), nameKey('Volodymyr Zelensky'))).toBe(true);
  // Too short to tell a variant from another name, two edits apart, the same key, or another number.
  expect(isSpellingVariant('putin', 'puton')).toBe(false);
  expect(isSpellingVariant(nameKey('Zelenskiyy'), nameKey('Zelensky'))).toBe(false);
  expect(isSpellingVariant('kremlin', 'kremlin')).toBe(false);
  expect(isSpellingVariant(nameKey('Brigade 7 Ukraine'), nameKey('Brigade 8 Ukraine'))).toBe(false);
  expect(isSpellingVariant(nameKey('Consortium 1 3 0'), nameKey('Consortium 1 1 0'))).toBe(false);
});

test('folding keeps every offset, so a match in the folded text is a span of the original', () => {
  const text = 'Nicolás MADURO met İstanbul’s mayor';
  const folded = foldKeepingOffsets(text);
  expect(folded).toHaveLength(text.length);
  expect(folded.slice(0, 14)).toBe('nicolas maduro');
});

test('slugs are lower-case ASCII words joined by hyphens', () => {
  expect(slugOf('Nicolás Maduro')).toBe('nicolas-maduro');
  expect(slugOf('The Coalition of the Willing!')).toBe('the-coalition-of-the-willing');
});
