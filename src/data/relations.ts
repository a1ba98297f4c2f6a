/** Facts read by id, and counted per entity. */
import type { PageMode } from '../models/plan';
import type { RelationFilter } from '../models/queries';
import type { RelationModel } from '../models/relation';
import type { RequestDb } from '../db/neo4jClient';
import { countOf, factMatch, filterParams, RELATION_TYPES, relationFromProps, relationProjection, type Props } from './graph';

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
