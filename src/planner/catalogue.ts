/**
 * The field catalogue: for every field of an entity type and of a fact type, what it reads from the
 * graph. A field reads either stored properties of its object (a projection, src/planner/selection.ts,
 * fetches only those) or a page of the entity's facts (look-ahead fetches it with the entity, and the
 * field's resolver finds it under the same page key). A field missing from here reads every property, so
 * a new field is never served from a partial node (tests/unit/catalogue.test.ts checks each is listed).
 */
import type { Direction, EntityRelationsArgs, EventParticipantsArgs, RegionControlArgs, RelationType } from '../generated/graphql';
import type { PageFetch, PageKey, PageMode } from '../models/plan';
import type { RelationFilter } from '../models/queries';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import { DERIVED_FIELD_ITEMS } from '../limits';
import { allowedRelationTypes } from '../data/graph';
import { pageRequest } from './pagination';

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

/** A field that reads a page of the entity's facts (or of its distinct neighbours). */
export interface RelationBackedField {
  mode: PageMode;
  /** The page the field reads for these arguments; throws BAD_USER_INPUT for bad ones. */
  key(args: Record<string, unknown>): PageKey;
  /** Where the far-end entities are selected: field-name paths below the field ([] is the field itself). */
  ends: readonly (readonly string[])[];
  /** Where a connection's `totalCount` is selected; null for plain lists. */
  totalCount: readonly string[] | null;
}

/** What one field reads: stored properties of its object, or a page of the entity's facts. */
export type FieldReads = { properties: readonly string[] } | { page: RelationBackedField };

/**
 * Plan objects are plain data that is never changed once made (plans are shared across requests), so
 * each object's JSON is worked out once rather than on every lookup.
 */
const jsonByObject = new WeakMap<object, string>();
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let json = jsonByObject.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    jsonByObject.set(value, json);
  }
  return json;
}

/** A page's identity: its mode and key. Look-ahead merges pages by it, and fields find prefetched pages by it. */
export const pageId = (fetch: PageFetch): string => `${fetch.mode} ${jsonOf(fetch.key)}`;

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
      page: { limit: DERIVED_FIELD_ITEMS, afterKey: null },
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

const reads = (...properties: string[]): FieldReads => ({ properties });
const page = (field: RelationBackedField): FieldReads => ({ page: field });

const EVIDENCE = reads('evidenceDocuments', 'evidenceQuotes', 'evidenceConfidences');
const DATED = reads('pointInTime', 'validFrom', 'validTo');

/** Fields every entity type has (the `Entity` interface). id, kind and name are always read. */
const ENTITY: Record<string, FieldReads> = {
  __typename: reads(),
  id: reads(),
  kind: reads(),
  name: reads(),
  aliases: reads('aliases'),
  description: reads('description'),
  evidence: EVIDENCE,
  attributes: reads('attributesJson'),
  relations: page(RELATIONS),
};

const SIZED = { reportedSize: reads('reportedSize'), minimumMemberCount: reads('minimumMemberCount') };

/** Entity types: the `Entity` interface, then each kind's type by its own fields. */
export const ENTITY_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldReads>>>> = {
  Entity: ENTITY,
  Person: { ...ENTITY, offices: page(OFFICES) },
  Country: { ...ENTITY, leaders: page(LEADERS) },
  Organization: { ...ENTITY, ...SIZED },
  Group: { ...ENTITY, ...SIZED },
  Region: { ...ENTITY, control: page(CONTROL), partOf: page(PART_OF), parts: page(PARTS) },
  City: ENTITY,
  Facility: { ...ENTITY, location: page(LOCATION) },
  Proposal: {
    ...ENTITY,
    agreedShare: reads('agreedShare'),
    termYears: reads('termYears'),
    condition: reads('condition'),
    status: reads('status'),
    proposedBy: page(PROPOSED_BY),
    stances: page(STANCES),
  },
  Policy: ENTITY,
  Event: {
    ...ENTITY,
    eventType: reads('eventType'),
    startDate: reads('startDate'),
    endDate: reads('endDate'),
    precision: reads('startDate', 'endDate'),
    location: page(LOCATION),
    participants: page(PARTICIPANTS),
  },
};

/** Fact types: `Relation`, and `TerritorialControl`, which shows a CONTROLS fact. Type and both ends always come. */
export const FACT_FIELDS: Readonly<Record<string, Readonly<Record<string, FieldReads>>>> = {
  Relation: {
    __typename: reads(),
    id: reads(),
    type: reads(),
    source: reads(),
    target: reads(),
    role: reads('role'),
    share: reads('share'),
    approximate: reads('approximate'),
    pointInTime: reads('pointInTime'),
    validFrom: reads('validFrom'),
    validTo: reads('validTo'),
    precision: DATED,
    rank: reads('rank'),
    modality: reads('modality'),
    claimedBy: reads('claimedBy'),
    evidence: EVIDENCE,
    supportCount: reads('evidenceDocuments'),
    supersededBy: reads('supersededBy'),
    deprecationReason: reads('deprecationReason'),
  },
  TerritorialControl: {
    __typename: reads(),
    controller: reads(),
    share: reads('share'),
    approximate: reads('approximate'),
    asOf: DATED,
    precision: DATED,
    evidence: EVIDENCE,
    relation: reads(),
  },
};

/** The relation-backed fields of an entity type, by field name. */
export function pageFieldsOf(typeName: string): Record<string, RelationBackedField> {
  const fields: Record<string, RelationBackedField> = {};
  for (const [name, field] of Object.entries(ENTITY_FIELDS[typeName] ?? {})) if ('page' in field) fields[name] = field.page;
  return fields;
}

/** Every entity type name, by kind (the catalogue's keys besides the interface). */
export const ENTITY_TYPE_NAMES: readonly string[] = Object.values(TYPE_NAME_BY_KIND);
