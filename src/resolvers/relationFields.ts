/**
 * The entity fields that read a page of the entity's facts: how each turns its arguments into a page key,
 * and where a query selects the entities at the far end. The field resolvers and the look-ahead
 * (src/resolvers/lookahead.ts) both take the page key from here, so a page fetched ahead by a parent is
 * found in the cache under exactly the key the field's resolver asks for.
 */
import type { Direction, EntityRelationsArgs, EventParticipantsArgs, RelationType, RegionControlArgs } from '../generated/graphql';
import type { PageKey, PageMode } from '../data/entityTree';
import { allowedRelationTypes, type RelationFilter } from '../data/relations';
import { pageRequest } from '../pagination';
import { TYPE_NAME_BY_KIND } from '../models/kinds';

/** The most facts a derived, unpaginated field (such as `Region.control`) returns. */
const DERIVED_FIELD_LIMIT = 100;

export function relationFilter(
  types: readonly RelationType[] | null | undefined,
  direction: Direction = 'BOTH',
  options: { includeDeprecated?: boolean | null; asOf?: string | null } = {},
): RelationFilter {
  return {
    types: allowedRelationTypes(types),
    direction,
    includeDeprecated: options.includeDeprecated ?? false,
    asOf: options.asOf ?? null,
  };
}

export interface RelationBackedField {
  mode: PageMode;
  /** The page the field reads for these arguments; throws BAD_USER_INPUT for bad ones. */
  key(args: Record<string, unknown>): PageKey;
  /** Where the far-end entities are selected: field-name paths below the field ([] is the field itself). */
  ends: readonly (readonly string[])[];
  /** Where a connection's `totalCount` is selected; null for plain lists. */
  totalCount: readonly string[] | null;
}

/** A connection page: one item more than asked for, which tells whether another page follows. */
function connectionKey(cursorKind: string, args: { first?: number | null; after?: string | null }, filter: RelationFilter): PageKey {
  const page = pageRequest(cursorKind, args);
  return { filter, page: { limit: page.first + 1, afterKey: page.afterKey } };
}

/** `Entity.relations`, on every entity type. */
export const RELATIONS: RelationBackedField = {
  mode: 'relations',
  key: (args) => {
    const a = args as EntityRelationsArgs;
    return connectionKey('relation', a, relationFilter(a.types, a.direction ?? 'BOTH', a));
  },
  ends: [
    ['edges', 'node', 'source'],
    ['edges', 'node', 'target'],
  ],
  totalCount: ['totalCount'],
};

/** The facts that make an actor a participant of an event. */
const PARTICIPATION = relationFilter(['PARTICIPATES_IN', 'HOSTS', 'MEDIATES', 'CARRIED_OUT'], 'INCOMING');

/** `Event.participants`: the distinct actors, as a connection. */
export const PARTICIPANTS: RelationBackedField = {
  mode: 'neighbors',
  key: (args) => connectionKey('entity', args as EventParticipantsArgs, PARTICIPATION),
  ends: [['edges', 'node']],
  totalCount: ['totalCount'],
};

/** Where a derived field selects its far ends: it returns them, or facts (with `source` and `target`). */
const RETURNS_ENTITIES = [[]] as const;
const RETURNS_RELATIONS = [['source'], ['target']] as const;

/** An unpaginated field derived from facts of fixed types and direction. */
function derived(types: RelationType[], direction: Direction, ends: readonly (readonly string[])[]): RelationBackedField {
  return {
    mode: 'relations',
    key: (args) => ({
      filter: relationFilter(types, direction, { asOf: (args as RegionControlArgs).asOf ?? null }),
      page: { limit: DERIVED_FIELD_LIMIT, afterKey: null },
    }),
    ends,
    totalCount: null,
  };
}

export const LOCATION = derived(['LOCATED_IN'], 'OUTGOING', RETURNS_ENTITIES);
export const CONTROL = derived(['CONTROLS'], 'INCOMING', [['controller'], ['relation', 'source'], ['relation', 'target']]);
export const PART_OF = derived(['PART_OF'], 'OUTGOING', RETURNS_ENTITIES);
export const PARTS = derived(['PART_OF'], 'INCOMING', RETURNS_ENTITIES);
export const LEADERS = derived(['HOLDS_OFFICE'], 'INCOMING', RETURNS_RELATIONS);
export const OFFICES = derived(['HOLDS_OFFICE', 'REPRESENTS'], 'OUTGOING', RETURNS_RELATIONS);
export const PROPOSED_BY = derived(['PROPOSES'], 'INCOMING', RETURNS_ENTITIES);
export const STANCES = derived(['PROPOSES', 'SUPPORTS', 'REJECTS'], 'INCOMING', RETURNS_RELATIONS);

const SPECIFIC_FIELDS: Record<string, Record<string, RelationBackedField>> = {
  Event: { participants: PARTICIPANTS, location: LOCATION },
  Facility: { location: LOCATION },
  Region: { control: CONTROL, partOf: PART_OF, parts: PARTS },
  Country: { leaders: LEADERS },
  Person: { offices: OFFICES },
  Proposal: { proposedBy: PROPOSED_BY, stances: STANCES },
};

/** Every relation-backed field, by GraphQL type and field name. */
export const RELATION_BACKED_FIELDS: Record<string, Record<string, RelationBackedField>> = Object.fromEntries(
  Object.values(TYPE_NAME_BY_KIND).map((typeName) => [typeName, { relations: RELATIONS, ...SPECIFIC_FIELDS[typeName] }]),
);
