/**
 * Facts: the relationship patterns and filters every query over an entity's facts is written with, and
 * facts looked up by id. Relation types reach Cypher only from the RELATION_TYPES allow-list.
 */
import { RelationType } from '../generated/graphql';
import type { PageMode } from '../models/plan';
import type { RelationFilter } from '../models/queries';
import type { RelationModel } from '../models/relation';
import type { RequestDb } from '../db/neo4jClient';
import { badUserInput } from '../errors';
import { relationFromProps, relationProjection, type Props } from './records';
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

/** Cypher: `MATCH` and `WHERE` of the filter's facts from `anchor`, parameter names after `prefix`. */
export const factMatch = (anchor: string, r: string, other: string, filter: RelationFilter, prefix = '') =>
  `MATCH ${factPattern(anchor, r, other, filter)} WHERE ${filterPredicate(filter, anchor, r, other, prefix)}`;

/** Cypher: how many facts the match finds, or how many distinct far-end entities. */
export const countOf = (mode: PageMode, match: string, other: string) =>
  mode === 'relations' ? `COUNT { ${match} }` : `COUNT { ${match} RETURN DISTINCT ${other} }`;

/** How many facts (or distinct far-end entities) match the filter for each entity, in one round trip. */
export async function countsByIds(db: RequestDb, ids: readonly string[], mode: PageMode, filter: RelationFilter): Promise<number[]> {
  const rows = await db.read<{ entityId: string; total: number }>(
    `UNWIND $ids AS entityId
     MATCH (e:Entity {id: entityId})
     RETURN entityId, ${countOf(mode, factMatch('e', 'r', 'other', filter), 'other')} AS total`,
    { ids: [...ids], ...filterParams(filter) },
  );
  const byId = new Map(rows.map((row) => [row.entityId, row.total]));
  return ids.map((id) => byId.get(id) ?? 0);
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
