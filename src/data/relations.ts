import { RelationType, type Direction, type Modality, type Rank } from '../generated/graphql';
import type { RelationModel } from '../models/relation';
import { badUserInput } from '../errors';
import type { RequestDb } from './requestDb';
import { evidenceFromStored, num, str, type Props } from './records';
import { relationProjection } from './projection';
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

/** The parameters `filterPredicate` reads, named after `prefix`. */
export function filterParams(filter: RelationFilter, prefix = ''): Record<string, unknown> {
  const values: Record<string, unknown> = { includeDeprecated: filter.includeDeprecated, ...asOfParams(filter.asOf) };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${prefix}${name}`, value]));
}

/**
 * The relationship part `r:T1|T2` of a pattern over facts. Types (from the allow-list only) are spliced in
 * so that Neo4j expands just those relationships: with `type(r) IN $types` it walked every fact of the
 * anchor, which on an entity with thousands of facts cost 100,000s of db hits to find its few CONTROLS
 * facts (see bench/README.md). Only facts link entities, so every type is any relationship, which also
 * spares the planner a 35-way type union.
 */
export function factRelationship(r: string, types: readonly RelationType[]): string {
  for (const type of types) {
    if (!RELATION_TYPES.includes(type)) throw new Error(`Relation type ${type} is not in the vocabulary`);
  }
  if (RELATION_TYPES.every((type) => types.includes(type))) return r;
  // An empty type list matches nothing; a type name no relationship has keeps the pattern valid.
  return `${r}:${types.length > 0 ? types.join('|') : 'NO_RELATION_TYPE'}`;
}

/** The pattern `(anchor)-[r:T1|T2]->(other:Entity)` of a RelationFilter, direction spliced in too. */
export function factPattern(anchor: string, r: string, other: string, filter: RelationFilter): string {
  const [left, right] = filter.direction === 'OUTGOING' ? ['-', '->'] : filter.direction === 'INCOMING' ? ['<-', '-'] : ['-', '-'];
  return `(${anchor})${left}[${factRelationship(r, filter.types)}]${right}(${other}:Entity)`;
}

/**
 * The rest of a RelationFilter on a bound `r` between `anchor` and `other`; values stay parameters. The
 * valid-time test (with its subquery) is only written when a date is asked: each variant is planned once.
 */
export function filterPredicate(filter: RelationFilter, anchor: string, r: string, other: string, prefix = ''): string {
  const shown = `($${prefix}includeDeprecated OR coalesce(${r}.rank, 'NORMAL') <> 'DEPRECATED')`;
  return filter.asOf === null ? shown : `${shown} AND ${heldAt(r, anchor, other, prefix)}`;
}

/**
 * Facts by id. Relationship indexes exist per type, so the lookup is one index seek per type (a UNION
 * over the allow-list) rather than a scan of every relationship.
 */
export async function relationsByIds(db: RequestDb, ids: readonly string[]): Promise<(RelationModel | null)[]> {
  const byType = RELATION_TYPES.map((type) => `MATCH (:Entity)-[r:${type}]->(:Entity) WHERE r.id IN $ids RETURN ${relationProjection('r', db.projection)} AS r`);
  const rows = await db.read<{ r: Props }>(byType.join('\nUNION ALL\n'), { ids: [...ids] });
  const byId = new Map(rows.map((row) => [row.r.id as string, relationFromProps(row.r)]));
  return ids.map((id) => byId.get(id) ?? null);
}
