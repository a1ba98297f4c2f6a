/**
 * Mentions of known entities in a text, for editors preparing an ingestion (`suggestEntities`): every
 * name and alias in the graph goes into one Aho–Corasick automaton (modern-ahocorasick), so a text is
 * scanned once whatever the size of the dictionary, never with one query per word. Capitalised phrases
 * that name no known entity come back unresolved.
 */
import AhoCorasick from 'modern-ahocorasick';
import type { MentionModel } from '../models/ingestion';
import { foldKeepingOffsets } from '../models/names';
import type { RequestDb } from '../db/neo4jClient';
import { allEntityNames, namesVersion, type NamedEntity } from '../data/names';

/** Capitalised words that start sentences rather than name things. */
const FUNCTION_WORDS = new Set(
  (
    'a an the and but or nor so yet for of in on at by to from with without into onto after before during since until while when ' +
    'where if as it its he she they we i you this that these those there here his her their our my your mr mrs ms dr meanwhile ' +
    'however also last next on monday tuesday wednesday thursday friday saturday sunday'
  ).split(' '),
);

/** Runs of capitalised words, joined by at most one lower-case connector ("Coalition of the Willing"). */
const CAPITALISED = /\p{Lu}[\p{L}\p{M}\p{N}'’.-]*(?:\s+(?:(?:of|the|de|la|al|von|van|der|du|and)\s+){0,2}\p{Lu}[\p{L}\p{M}\p{N}'’.-]*)*/gu;

/** The smallest pattern worth matching: one letter is too likely to be a word, not a name. */
const MIN_PATTERN_LENGTH = 2;

export class MentionFinder {
  private readonly matcher: AhoCorasick<string[]>;

  constructor(entities: readonly NamedEntity[]) {
    const idsByPattern = new Map<string, Set<string>>();
    for (const entity of entities) {
      for (const name of entity.names) {
        const pattern = foldKeepingOffsets(name.trim());
        if (pattern.replace(/[^\p{L}\p{N}]/gu, '').length < MIN_PATTERN_LENGTH) continue;
        const ids = idsByPattern.get(pattern) ?? new Set<string>();
        ids.add(entity.id);
        idsByPattern.set(pattern, ids);
      }
    }
    this.matcher = new AhoCorasick([...idsByPattern].map(([pattern, ids]) => ({ pattern, data: [...ids].sort() })));
  }

  /** Known names (longest first where they overlap) and unknown capitalised phrases, in text order. */
  find(text: string, first: number): MentionModel[] {
    const known: MentionModel[] = this.matcher
      .search(foldKeepingOffsets(text), { strategy: 'leftmost-longest', wholeWord: true, locale: 'en' })
      .map((match) => ({ start: match.start, end: match.end, text: text.slice(match.start, match.end), entityIds: match.data ?? [] }));
    const mentions = [...known, ...unknownPhrases(text, known)].sort((a, b) => a.start - b.start);
    return mentions.slice(0, first);
  }
}

/** Capitalised phrases outside every known mention, trimmed of the function words around them. */
function unknownPhrases(text: string, known: readonly MentionModel[]): MentionModel[] {
  const phrases: MentionModel[] = [];
  for (const match of text.matchAll(CAPITALISED)) {
    // Split the phrase around known mentions: what is left of it names something the graph does not know.
    let pieces = [{ start: match.index, end: match.index + match[0].length }];
    for (const mention of known) {
      pieces = pieces.flatMap((piece) =>
        mention.end <= piece.start || mention.start >= piece.end
          ? [piece]
          : [
              { start: piece.start, end: mention.start },
              { start: mention.end, end: piece.end },
            ],
      );
    }
    for (const piece of pieces) {
      const phrase = trimmed(text, piece.start, piece.end);
      if (phrase) phrases.push({ ...phrase, entityIds: [] });
    }
  }
  return phrases;
}

/** The capitalised words of a span, without function words or punctuation at either end. */
function trimmed(text: string, start: number, end: number): { start: number; end: number; text: string } | null {
  const words = [...text.slice(start, end).matchAll(/[\p{L}\p{M}\p{N}'’.-]+/gu)].map((w) => ({
    start: start + w.index,
    end: start + w.index + w[0].replace(/[.'’-]+$/u, '').length,
    word: w[0].replace(/[.'’-]+$/u, ''),
  }));
  while (words.length > 0 && (FUNCTION_WORDS.has(words[0]!.word.toLowerCase()) || !/^\p{Lu}/u.test(words[0]!.word))) words.shift();
  while (words.length > 0 && (FUNCTION_WORDS.has(words.at(-1)!.word.toLowerCase()) || !/^\p{Lu}/u.test(words.at(-1)!.word))) words.pop();
  if (words.length === 0) return null;
  const [from, to] = [words[0]!.start, words.at(-1)!.end];
  return { start: from, end: to, text: text.slice(from, to) };
}

/**
 * The automaton of the graph's names, built once and rebuilt when the graph's names may have changed
 * (another entity, or a new change in the log), checked with two cheap lookups per use. One per server.
 */
export class MentionDictionary {
  private built: { version: string; finder: MentionFinder } | null = null;
  private building: Promise<{ version: string; finder: MentionFinder }> | null = null;

  async finder(db: RequestDb): Promise<MentionFinder> {
    const version = await namesVersion(db);
    if (this.built?.version === version) return this.built.finder;
    // Requests that arrive while it is being built share the one build.
    this.building ??= allEntityNames(db)
      .then((entities) => (this.built = { version, finder: new MentionFinder(entities) }))
      .finally(() => (this.building = null));
    return (await this.building).finder;
  }
}
