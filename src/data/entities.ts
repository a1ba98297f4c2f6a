import type { EntityModel } from '../models/entity';
import type { RequestDb } from '../db/neo4jClient';
import { entityFromProps, entityProjection, type Props } from './graph';

/** Loads entities by id in one round trip; the result is aligned with `ids`, null where none exists. */
export async function entitiesByIds(db: RequestDb, ids: readonly string[]): Promise<(EntityModel | null)[]> {
  const rows = await db.read<{ e: Props }>(`MATCH (e:Entity) WHERE e.id IN $ids RETURN ${entityProjection('e', db.projection)} AS e`, {
    ids: [...ids],
  });
  const byId = new Map(rows.map((row) => [row.e.id as string, entityFromProps(row.e)]));
  return ids.map((id) => byId.get(id) ?? null);
}
