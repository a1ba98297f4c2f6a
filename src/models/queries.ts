/** The questions the data layer answers: filters, list conditions and positions in a sorted list. */
import type { Direction, EntityKind, EntityOrder, EventOrder, RelationType } from '../generated/graphql';

/** Which of an entity's facts to look at. Part of every batch key: only equal filters share a query. */
export interface RelationFilter {
  types: RelationType[];
  direction: Direction;
  includeDeprecated: boolean;
  /** Only facts that held on this date (see src/data/validTime.ts); null for every fact. */
  asOf: string | null;
}

/** Every condition a list of entities can be narrowed by. Absent fields do not narrow. */
export interface EntityListQuery {
  kinds: EntityKind[] | null;
  nameContains: string | null;
  relatedTo: string | null;
  relationTypes: RelationType[] | null;
  /** Events only: overlapping this date range. */
  from: string | null;
  to: string | null;
  order: EntityOrder | EventOrder;
}

/** The position of the last item of the previous page: its sort key and id (ids break ties). */
export interface Keyset {
  sortKey: string | number;
  id: string;
}

/** The piece of the graph around an entity that `neighborhood` draws. */
export interface NeighborhoodQuery {
  depth: number;
  limit: number;
  /** Which facts to walk and return: types, DEPRECATED or not, and the date they held (direction is ignored). */
  facts: RelationFilter;
  kinds: EntityKind[] | null;
}
