/**
 * What a request plans to read, worked out from its GraphQL selection (src/planner/) and carried down to
 * the Cypher that reads it (src/planner/cypher.ts, src/data/).
 */
import type { EntityKind } from '../generated/graphql';
import type { RelationFilter } from './queries';

/** A page of an entity's facts or neighbours. */
export interface Page {
  limit: number;
  /** Continue after this key (a relation id, or a neighbour's id); null for the first page. */
  afterKey: string | null;
}

/** Which page of which facts a field reads. With the entity's id, it is the loaders' cache key. */
export interface PageKey {
  filter: RelationFilter;
  page: Page;
}

/** `relations`: the facts themselves, each with the entity at its far end. `neighbors`: the distinct far-end entities. */
export type PageMode = 'relations' | 'neighbors';

export interface PageFetch {
  mode: PageMode;
  key: PageKey;
  /** Read the page only for entities of these kinds (the types that have the field); null for every kind. */
  kinds: EntityKind[] | null;
  /** Also count every match, for a selected `totalCount`. */
  count: boolean;
  /**
   * What to read for each entity at the far end. In `relations` mode, null means the far ends are not
   * selected and are not read at all.
   */
  ends: EntityFetch | null;
}

/** The pages to read with an entity, and recursively what to read with the entities they lead to. */
export interface EntityFetch {
  pages: PageFetch[];
}

export const ENTITY_ALONE: EntityFetch = { pages: [] };

/**
 * Which stored properties a request reads. Entities and facts carry bulky properties (evidence quotes,
 * descriptions, attribute statements) that most dashboard queries never select; reading them anyway
 * costs the database, the wire and the driver's decoding (see bench/README.md).
 */
export interface Projection {
  /** Entity properties besides id, kind and name; null for all of them. */
  entity: readonly string[] | null;
  /** Fact properties besides id (type and both ends always come); null for all of them. */
  relation: readonly string[] | null;
}

export const ALL_PROPERTIES: Projection = { entity: null, relation: null };
