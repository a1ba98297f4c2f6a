/**
 * The rules for comparing names, shared by ingestion's entity resolution and by `suggestEntities`.
 *
 * Names are compared normalised: case, diacritics, punctuation and a leading "the" are ignored, so
 * "the Kremlin", "Kremlin" and "KREMLIN" are one key. A transliteration variant matches by spelling when
 * both keys have at least SPELLING_MIN_LETTERS letters and are one edit apart ("Zelenskyy", "Zelensky").
 */
import { distance } from 'fastest-levenshtein';
import slugify from 'slugify';

/** A name must have this many letters before a one-edit variant of it counts as the same name. */
export const SPELLING_MIN_LETTERS = 6;

const stripMarks = (text: string) => text.normalize('NFD').replace(/\p{M}/gu, '');

/** The key a name is compared by: folded to lower-case letters and digits, single spaces, no leading "the". */
export function nameKey(name: string): string {
  return stripMarks(name)
    .toLowerCase()
    .replace(/['’`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^the /, '');
}

const letters = (key: string) => key.replace(/[^\p{L}]/gu, '').length;

/** True when two different keys are transliteration variants of each other (see the module comment). */
export function isSpellingVariant(a: string, b: string): boolean {
  if (a === b || letters(a) < SPELLING_MIN_LETTERS || letters(b) < SPELLING_MIN_LETTERS) return false;
  return Math.abs(a.length - b.length) <= 1 && distance(a, b) === 1;
}

/** A lower-case slug made from a name ("Nicolás Maduro" → "nicolas-maduro"), for new ids. */
export function slugOf(name: string): string {
  return slugify(name, { lower: true, strict: true, trim: true }) || 'entity';
}

/**
 * Folds text for matching while keeping every UTF-16 offset: each character becomes its lower-case form
 * without diacritics when that has the same length, and stays as it is otherwise. Matches found in the
 * folded text are then exact spans of the original (`text.slice(start, end)`).
 */
export function foldKeepingOffsets(text: string): string {
  let folded = '';
  for (const char of text) {
    const plain = stripMarks(char).toLowerCase();
    if (plain.length === char.length) folded += plain;
    else {
      const lower = char.toLowerCase();
      folded += lower.length === char.length ? lower : char;
    }
  }
  return folded;
}
