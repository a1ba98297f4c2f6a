import { int } from 'neo4j-driver';
import { RelationType, type Direction, type Modality, type Rank } from '../generated/graphql';
import type { RelationModel } from '../models/relation';
import type { EntityModel } from '../models/entity';
import { badUserInput } from '../errors';
import type { RequestDb } from './requestDb';
import { ENTITY_PROJECTION, entityFromProps } from './entities';
import { evidenceFromStored, num, str, type Props } from './records';
import { asOfParams, heldAt } from './validTime';

/** Every relationship type the graph stores as a fact. Cypher only ever sees types from this list. */
export const RELATION_TYPES: readonly RelationType[] = Object.values(RelationType);

export function allowedRelationTypes(types: readonly string[] | null | undefined): RelationType[] {
  if (types === null || types === undefined) return [...RELATION_TYPES];
  for (const type of types) {
    if (!RELATION_TYPES.includes(type as RelationType)) throw badUserInput(`Unknown relation type "${type}".`, 'types');
  }
  return types as RelationType[];
}

export const RELATION_PROJECTION = 'r {.*, type: type(r), sourceId: startNode(r).id, targetId: endNode(r).id}';

export function relationFromProps(props: Props): RelationModel {
  return {
    id: props.id as string,
    type: props.type as RelationType,
    sourceId: props.sourceId as string,
    targetId: props.targetId as string,
    role: str(props.role),
    share: num(props.share),
    approximate: props.approximate === true,
    pointInTime: str(props.pointInTime),
    validFrom: str(props.validFrom),
    validTo: str(props.validTo),
    rank: (str(props.rank) ?? 'NORMAL') as Rank,
    modality: (str(props.modality) ?? 'ASSERTED') as Modality,
    claimedById: str(props.claimedBy),
    evidence: evidenceFromStored(props),
  };
}

/** Which of an entity's facts to look at. Part of every batch key: only equal filters share a query. */
export interface RelationFilter {
  types: RelationType[];
  direction: Direction;
  includeDeprecated: boolean;
  /** Only facts that held on this date (see `heldAt`); null for every fact. */
  asOf: string | null;
}

const filterParams = (ids: readonly string[], filter: RelationFilter) => ({
  ids: [...ids],
  includeDeprecated: filter.includeDeprecated,
  ...asOfParams(filter.asOf),
});

/**
 * The pattern `(anchor)-[r:T1|T2]->(other:Entity)` of a RelationFilter. Types and direction are spliced in
 * (types from the allow-list only) so that Neo4j expands just those relationships: with `type(r) IN $types`
 * it walked every fact of the anchor, which on an entity with thousands of facts cost 100,000s of db hits
 * to find its few CONTROLS facts (see bench/README.md).
 */
function factPattern(anchor: string, other: string, filter: RelationFilter): string {
  for (const type of filter.types) {
    if (!RELATION_TYPES.includes(type)) throw new Error(`Relation type ${type} is not in the vocabulary`);
  }
  // An empty type list matches nothing; a type name no relationship has keeps the pattern valid.
  const types = filter.types.length > 0 ? filter.types.join('|') : 'NO_RELATION_TYPE';
  const [left, right] = filter.direction === 'OUTGOING' ? ['-', '->'] : filter.direction === 'INCOMING' ? ['<-', '-'] : ['-', '-'];
  return `(${anchor})${left}[r:${types}]${right}(${other}:Entity)`;
}

/** The rest of a RelationFilter on a bound `r` between `anchor` and `other`; values stay parameters. */
const filterPredicate = (anchor: string, other: string) => `($includeDeprecated OR coalesce(r.rank, 'NORMAL') <> 'DEPRECATED')
  AND ${heldAt('r', anchor, other)}`;

/** One page of facts for each entity, in one round trip, sorted by relation id (the cursor key). */
export async function relationPages(
  db: RequestDb,
  entityIds: readonly string[],
  filter: RelationFilter,
  page: { limit: number; afterKey: string | null },
): Promise<RelationModel[][]> {
  const rows = await db.read<{ entityId: string; page: Props[] }>(
    `UNWIND $ids AS entityId
     MATCH (e:Entity {id: entityId})
     RETURN entityId, COLLECT {
       MATCH ${factPattern('e', 'other', filter)}
       WHERE ${filterPredicate('e', 'other')} AND ($afterKey IS NULL OR r.id > $afterKey)
       WITH r ORDER BY r.id LIMIT $limit
       RETURN ${RELATION_PROJECTION}
     } AS page`,
    { ...filterParams(entityIds, filter), limit: int(page.limit), afterKey: page.afterKey },
  );
  const byId = new Map(rows.map((row) => [row.entityId, row.page.map(relationFromProps)]));
  return entityIds.map((id) => byId.get(id) ?? []);
}

/** How many facts match the filter for each entity, in one round trip. */
export async function relationCounts(db: RequestDb, entityIds: readonly string[], filter: RelationFilter): Promise<number[]> {
  const rows = await db.read<{ entityId: string; total: number }>(
    `UNWIND $ids AS entityId
     MATCH (e:Entity {id: entityId})
     RETURN entityId, COUNT { MATCH ${factPattern('e', 'other', filter)} WHERE ${filterPredicate('e', 'other')} } AS total`,
    filterParams(entityIds, filter),
  );
  const byId = new Map(rows.map((row) => [row.entityId, row.total]));
  return entityIds.map((id) => byId.get(id) ?? 0);
}

/**
 * One page of the distinct entities linked to each given entity by the filter's facts, sorted by id.
 * Event participants use it: several facts (hosts, participates in) may name the same actor once.
 */
export async function neighborPages(
  db: RequestDb,
  entityIds: readonly string[],
  filter: RelationFilter,
  page: { limit: number; afterKey: string | null },
): Promise<EntityModel[][]> {
  const rows = await db.read<{ entityId: string; page: Props[] }>(
    `UNWIND $ids AS entityId
     MATCH (centre:Entity {id: entityId})
     RETURN entityId, COLLECT {
       MATCH ${factPattern('centre', 'other', filter)}
       WHERE ${filterPredicate('centre', 'other')} AND ($afterKey IS NULL OR other.id > $afterKey)
       WITH DISTINCT other AS e ORDER BY e.id LIMIT $limit
       RETURN ${ENTITY_PROJECTION}
     } AS page`,
    { ...filterParams(entityIds, filter), limit: int(page.limit), afterKey: page.afterKey },
  );
  const byId = new Map(rows.map((row) => [row.entityId, row.page.map(entityFromProps)]));
  return entityIds.map((id) => byId.get(id) ?? []);
}

export async function neighborCounts(db: RequestDb, entityIds: readonly string[], filter: RelationFilter): Promise<number[]> {
  const rows = await db.read<{ entityId: string; total: number }>(
    `UNWIND $ids AS entityId
     MATCH (centre:Entity {id: entityId})
     RETURN entityId, COUNT { MATCH ${factPattern('centre', 'other', filter)} WHERE ${filterPredicate('centre', 'other')} RETURN DISTINCT other } AS total`,
    filterParams(entityIds, filter),
  );
  const byId = new Map(rows.map((row) => [row.entityId, row.total]));
  return entityIds.map((id) => byId.get(id) ?? 0);
}

/**
 * Facts by id. Relationship indexes exist per type, so the lookup is one index seek per type (a UNION
 * over the allow-list) rather than a scan of every relationship.
 */
const RELATIONS_BY_ID = RELATION_TYPES.map((type) => `MATCH (:Entity)-[r:${type}]->(:Entity) WHERE r.id IN $ids RETURN ${RELATION_PROJECTION} AS r`).join('\nUNION ALL\n');

export async function relationsByIds(db: RequestDb, ids: readonly string[]): Promise<(RelationModel | null)[]> {
  const rows = await db.read<{ r: Props }>(RELATIONS_BY_ID, { ids: [...ids] });
  const byId = new Map(rows.map((row) => [row.r.id as string, relationFromProps(row.r)]));
  return ids.map((id) => byId.get(id) ?? null);
}
