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

/** Where merged-away ids now point (the kept entity's id), aligned with `ids`; null for ids never merged. */
export async function redirectsByIds(db: RequestDb, ids: readonly string[]): Promise<(string | null)[]> {
  const rows = await db.read<{ id: string; into: string }>('MATCH (m:MergedEntity) WHERE m.id IN $ids RETURN m.id AS id, m.mergedInto AS into', {
    ids: [...ids],
  });
  const byId = new Map(rows.map((row) => [row.id, row.into]));
  return ids.map((id) => byId.get(id) ?? null);
}
