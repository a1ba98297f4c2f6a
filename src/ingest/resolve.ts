/**
 * Entity resolution for an ingestion: which stored entity (or which new one) each entity the document
 * declares, and each end of each relation, stands for.
 *
 * - An id means the entity with that id (an id merged into another entity means the kept one). A
 *   declared entity with an unknown id is created under it; a relation end with an unknown id is an error.
 * - A name is compared by its key (src/models/names.ts: case, diacritics, punctuation and a leading
 *   "the" ignored) with the names and aliases of the document's own entities, then of the graph's, of the
 *   same kind when a kind is given. Failing that, a name of 6 letters or more matches by spelling an
 *   entity of the same kind one edit away.
 * - More than one match is ambiguous, and no match for a relation end is unknown: both refuse the
 *   document, naming the candidates. The service never guesses.
 *
 * The graph's candidates come from the full-text index over names and aliases (one query for every name
 * of the document); the keys are then compared exactly here.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { EntityInput, EntityKind, EntityRefInput, IngestDocumentInput, MatchKind } from '../generated/graphql';
import type { EntityModel } from '../models/entity';
import { isSpellingVariant, nameKey, SPELLING_MIN_LETTERS } from '../models/names';
import { entitiesForWrite, nameCandidates, type NameQuery } from '../data/ingestion';
import type { InputProblem } from '../errors';

/** How many candidates the full-text index offers per name before the keys are compared. */
const CANDIDATES_PER_NAME = 200;

export interface ResolvedEntity {
  /** The stored entity; null for one this document creates. */
  entity: EntityModel | null;
  /** The id of an entity this document creates: given, or made unique from its name before writing. */
  id: string | null;
  outcome: 'CREATED' | 'MATCHED';
  matchedBy: MatchKind | null;
}

export interface DeclaredEntity extends ResolvedEntity {
  input: EntityInput;
}

export interface Resolution {
  /** One per `input.entities`, in order. */
  declared: DeclaredEntity[];
  /** Each relation end by its path (`input.relations[2].source`, `...claimedBy`). */
  ends: Map<string, ResolvedEntity>;
  problems: InputProblem[];
}

interface NameMatch {
  entity: EntityModel;
  by: MatchKind;
}

const letters = (key: string) => key.replace(/[^\p{L}]/gu, '').length;

/** A Lucene query for the candidates of a key: its words as a phrase, or each one edit away for a spelling. */
function luceneFor(key: string, spelling: boolean): string {
  // A key holds only lower-case letters, digits and single spaces: nothing Lucene reads as syntax.
  const words = key.split(' ');
  const exact = `"${words.join(' ')}"`;
  const query = spelling ? `${exact} OR (${words.map((w) => `${w}~1`).join(' AND ')})` : exact;
  return `name:(${query}) OR aliases:(${query})`;
}

/** The entities among `candidates` a key names: by name or alias, else (with a kind) by spelling. */
function matchesOf(key: string, kind: EntityKind | null, candidates: readonly EntityModel[]): NameMatch[] {
  const exact = new Map<string, NameMatch>();
  const spelled = new Map<string, NameMatch>();
  for (const entity of candidates) {
    if (kind !== null && entity.kind !== kind) continue;
    if (nameKey(entity.name) === key) exact.set(entity.id, { entity, by: 'NAME' });
    else if (entity.aliases.some((alias) => nameKey(alias) === key)) {
      if (!exact.has(entity.id)) exact.set(entity.id, { entity, by: 'ALIAS' });
    } else if (kind !== null && [entity.name, ...entity.aliases].some((name) => isSpellingVariant(key, nameKey(name)))) {
      spelled.set(entity.id, { entity, by: 'SPELLING' });
    }
  }
  return exact.size > 0 ? [...exact.values()] : [...spelled.values()];
}

const ambiguous = (path: string, name: string, ids: string[]): InputProblem => ({
  path,
  message: `"${name}" matches more than one entity (${ids.join(', ')}): give the id of the one meant`,
  candidates: ids,
});

export async function resolveEntities(tx: ManagedTransaction, input: IngestDocumentInput): Promise<Resolution> {
  const problems: InputProblem[] = [];
  const entities = input.entities ?? [];
  const refEnds: { path: string; ref: EntityRefInput }[] = input.relations.flatMap((relation, i) => {
    const at = `input.relations[${i}]`;
    const found = [
      { path: `${at}.source`, ref: relation.source },
      { path: `${at}.target`, ref: relation.target },
    ];
    return relation.claimedBy ? [...found, { path: `${at}.claimedBy`, ref: relation.claimedBy }] : found;
  });

  // Ids, declared or referred to, in one lookup.
  const byId = await entitiesForWrite(tx, [
    ...entities.flatMap((e) => (e.id ? [e.id] : [])),
    ...refEnds.flatMap((e) => (e.ref.id ? [e.ref.id] : [])),
  ]);

  // Names for the graph: declared entities without an id, and relation ends named but not declared.
  const declaredKeys = entities.map((e) => ({ kind: e.kind, keys: new Set([e.name, ...(e.aliases ?? [])].map(nameKey)) }));
  const declaredMatches = (key: string, kind: EntityKind | null) =>
    declaredKeys.flatMap((d, i) => (d.keys.has(key) && (kind === null || d.kind === kind) ? [i] : []));
  const graphNames = new Map<string, NameQuery>();
  const queryFor = (key: string, kind: EntityKind | null) => {
    const id = `${kind ?? '*'} ${key}`;
    if (!graphNames.has(id)) {
      const spelling = kind !== null && letters(key) >= SPELLING_MIN_LETTERS;
      graphNames.set(id, { key: graphNames.size, lucene: luceneFor(key, spelling), kinds: kind ? [kind] : null });
    }
    return graphNames.get(id)!;
  };
  entities.forEach((e) => !e.id && queryFor(nameKey(e.name), e.kind));
  for (const { ref } of refEnds)
    if (ref.name && declaredMatches(nameKey(ref.name), ref.kind ?? null).length === 0) queryFor(nameKey(ref.name), ref.kind ?? null);
  const candidates = await nameCandidates(tx, [...graphNames.values()], CANDIDATES_PER_NAME);
  const graphMatches = (key: string, kind: EntityKind | null) => matchesOf(key, kind, candidates.get(queryFor(key, kind).key) ?? []);

  const declared: DeclaredEntity[] = entities.map((e, i) => {
    if (e.id) {
      const entity = byId.get(e.id) ?? null;
      if (entity && entity.kind !== e.kind)
        problems.push({ path: `input.entities[${i}].kind`, message: `entity "${entity.id}" is a ${entity.kind}, not a ${e.kind}` });
      return entity
        ? { input: e, entity, id: null, outcome: 'MATCHED', matchedBy: 'ID' }
        : { input: e, entity: null, id: e.id, outcome: 'CREATED', matchedBy: null };
    }
    const matches = graphMatches(nameKey(e.name), e.kind);
    if (matches.length > 1) problems.push(ambiguous(`input.entities[${i}].name`, e.name, matches.map((m) => m.entity.id).sort()));
    const match = matches.length === 1 ? matches[0]! : null;
    return match
      ? { input: e, entity: match.entity, id: null, outcome: 'MATCHED', matchedBy: match.by }
      : { input: e, entity: null, id: null, outcome: 'CREATED', matchedBy: null };
  });

  const ends = new Map<string, ResolvedEntity>();
  const refIndex = new Map(entities.map((e, i) => [e.ref, i]));
  for (const { path, ref } of refEnds) {
    if (ref.ref) {
      const index = refIndex.get(ref.ref);
      if (index !== undefined) ends.set(path, declared[index]!);
      continue; // an unknown ref is reported by the validator
    }
    if (ref.id) {
      const entity = byId.get(ref.id);
      const declaredIndex = entities.findIndex((e) => e.id === ref.id);
      if (entity) ends.set(path, { entity, id: null, outcome: 'MATCHED', matchedBy: 'ID' });
      else if (declaredIndex >= 0) ends.set(path, declared[declaredIndex]!);
      else problems.push({ path: `${path}.id`, message: `no entity has the id "${ref.id}"` });
      continue;
    }
    const name = ref.name!;
    const key = nameKey(name);
    const inDocument = declaredMatches(key, ref.kind ?? null);
    if (inDocument.length > 1) {
      problems.push(
        ambiguous(
          `${path}.name`,
          name,
          inDocument.map((i) => `input.entities[${i}]`),
        ),
      );
    } else if (inDocument.length === 1) {
      ends.set(path, declared[inDocument[0]!]!);
    } else {
      const matches = graphMatches(key, ref.kind ?? null);
      if (matches.length > 1) problems.push(ambiguous(`${path}.name`, name, matches.map((m) => m.entity.id).sort()));
      else if (matches.length === 1)
        ends.set(path, { entity: matches[0]!.entity, id: null, outcome: 'MATCHED', matchedBy: matches[0]!.by });
      else problems.push({ path: `${path}.name`, message: `"${name}" matches no entity: declare it in input.entities to create it` });
    }
  }
  return { declared, ends, problems };
}
