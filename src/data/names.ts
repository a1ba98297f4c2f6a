/** Entity names and aliases, for finding mentions of known entities in a text (src/ingest/mentions.ts). */
import type { RequestDb } from '../db/neo4jClient';

export interface NamedEntity {
  id: string;
  names: string[];
}

/** Every entity's name and aliases. One read of the whole graph's names: callers cache it (see `namesVersion`). */
export async function allEntityNames(db: RequestDb): Promise<NamedEntity[]> {
  return db.read<NamedEntity>('MATCH (e:Entity) RETURN e.id AS id, [e.name] + coalesce(e.aliases, []) AS names');
}

/**
 * What changes whenever names may have changed: the number of entities (from Neo4j's count store) and
 * the newest change in the log. Two cheap lookups, so a cache of names can check it on every use.
 */
export async function namesVersion(db: RequestDb): Promise<string> {
  const [row] = await db.read<{ entities: number; latest: string | null }>(
    'RETURN COUNT { MATCH (:Entity) } AS entities, COLLECT { MATCH (c:Change) RETURN c.at ORDER BY c.at DESC LIMIT 1 }[0] AS latest',
  );
  return `${row?.entities ?? 0}|${row?.latest ?? ''}`;
}
