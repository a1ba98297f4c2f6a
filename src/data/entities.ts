import type { EntityModel } from '../models/entity';
import type { RequestDb } from '../db/neo4jClient';
import { entityFromProps, entityProjection, type Props } from './graph';

/**
 * Cypher: each requested id (`$ids`) bound as `requested`, with its entity as `e`: the entity with that id,
 * or, for an id merged into another entity, the entity kept (a redirect never points at another one).
 * Ids of no entity drop out. One statement either way: a redirect costs no extra round trip.
 */
export const ENTITIES_BY_REQUESTED_ID = `UNWIND $ids AS requested
  OPTIONAL MATCH (found:Entity {id: requested})
  OPTIONAL MATCH (merged:MergedEntity {id: requested}) WHERE found IS NULL
  OPTIONAL MATCH (kept:Entity {id: merged.mergedInto})
  WITH requested, coalesce(found, kept) AS e WHERE e IS NOT NULL`;

/** Loads entities by id in one round trip, following redirects; aligned with `ids`, null where none exists. */
export async function entitiesByIds(db: RequestDb, ids: readonly string[]): Promise<(EntityModel | null)[]> {
  const rows = await db.read<{ requested: string; e: Props }>(`${ENTITIES_BY_REQUESTED_ID} RETURN requested, ${entityProjection('e', db.projection)} AS e`, {
    ids: [...ids],
  });
  const byId = new Map(rows.map((row) => [row.requested, entityFromProps(row.e)]));
  return ids.map((id) => byId.get(id) ?? null);
}
