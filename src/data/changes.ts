/** The change log: one `(:Change)` node per write, appended in the write's transaction and never altered. */
import { int, type ManagedTransaction } from 'neo4j-driver';
import type { ChangeOperation } from '../generated/graphql';
import type { ChangeModel } from '../models/change';
import type { Keyset } from '../models/queries';
import type { Neo4jClient, RequestDb } from '../db/neo4jClient';
import type { Props } from './graph';

function changeFromProps(props: Props): ChangeModel {
  return {
    id: props.id as string,
    at: props.at as string,
    operation: props.operation as ChangeOperation,
    actor: props.actor as string,
    documentId: (props.documentId as string | null | undefined) ?? null,
    entityIds: (props.entityIds as string[] | undefined) ?? [],
    relationIds: (props.relationIds as string[] | undefined) ?? [],
    summary: props.summary as string,
  };
}

/** Appends one change, in the transaction of the write it records. */
export async function appendChange(tx: ManagedTransaction, change: ChangeModel): Promise<void> {
  await tx.run('CREATE (c:Change) SET c = $change', { change: { ...change } });
}

export interface ChangeFilter {
  /** Changes that touched any of these entities (an entity and those merged into it); null for all. */
  entityIds: string[] | null;
  documentId: string | null;
}

/** A page of changes, newest first, after a (time, id) position; one more than `limit` tells whether more follow. */
export async function changesPage(db: RequestDb, filter: ChangeFilter, limit: number, after: Keyset | null): Promise<ChangeModel[]> {
  const found = await db.read<{ c: Props }>(
    `MATCH (c:Change)
     WHERE c.at IS NOT NULL
       AND ($documentId IS NULL OR c.documentId = $documentId)
       AND ($entityIds IS NULL OR any(id IN c.entityIds WHERE id IN $entityIds))
       AND ($afterAt IS NULL OR c.at < $afterAt OR (c.at = $afterAt AND c.id < $afterId))
     RETURN c {.*} AS c ORDER BY c.at DESC, c.id DESC LIMIT $limit`,
    {
      documentId: filter.documentId,
      entityIds: filter.entityIds,
      afterAt: after?.sortKey ?? null,
      afterId: after?.id ?? null,
      limit: int(limit),
    },
  );
  return found.map((row) => changeFromProps(row.c));
}

/** How many changes match the filter. */
export async function countChanges(db: RequestDb, filter: ChangeFilter): Promise<number> {
  const [row] = await db.read<{ total: number }>(
    `MATCH (c:Change)
     WHERE ($documentId IS NULL OR c.documentId = $documentId) AND ($entityIds IS NULL OR any(id IN c.entityIds WHERE id IN $entityIds))
     RETURN count(c) AS total`,
    { documentId: filter.documentId, entityIds: filter.entityIds },
  );
  return row?.total ?? 0;
}

/** Changes by id, aligned with `ids`, null where none exists. */
export async function changesByIds(db: RequestDb, ids: readonly string[]): Promise<(ChangeModel | null)[]> {
  const found = await db.read<{ c: Props }>('MATCH (c:Change) WHERE c.id IN $ids RETURN c {.*} AS c', { ids: [...ids] });
  const byId = new Map(found.map((row) => [row.c.id as string, changeFromProps(row.c)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * Which entity ids a change to `id` may name: the entity it is (`id`, or the entity `id` was merged
 * into) and every entity merged into that one. A change to any of them is a change to it.
 */
export async function entityAndMergedIds(db: RequestDb, id: string): Promise<string[]> {
  const [row] = await db.read<{ kept: string; merged: string[] }>(
    `OPTIONAL MATCH (redirect:MergedEntity {id: $id})
     WITH coalesce(redirect.mergedInto, $id) AS kept
     OPTIONAL MATCH (m:MergedEntity {mergedInto: kept})
     RETURN kept, collect(m.id) AS merged`,
    { id },
  );
  return row ? [row.kept, ...row.merged] : [id];
}

/**
 * A value that moves whenever the graph is written, by any process: every write through the API appends a
 * change (counted, and the newest named), and the seed loader, which appends none, adds nodes and
 * relationships. The counts come from Neo4j's count store and the newest change from the `change_at`
 * index, so one call costs one cheap statement.
 */
export async function graphVersion(client: Neo4jClient): Promise<string> {
  const [row] = await client.read<{ changes: number; newest: string | null; nodes: number; relationships: number }>(
    `CALL { MATCH (c:Change) RETURN count(c) AS changes }
     CALL { MATCH (n) RETURN count(n) AS nodes }
     CALL { MATCH ()-[r]->() RETURN count(r) AS relationships }
     RETURN changes, nodes, relationships,
       COLLECT { MATCH (c:Change) WHERE c.at IS NOT NULL RETURN c.id AS id ORDER BY c.at DESC, id DESC LIMIT 1 }[0] AS newest`,
  );
  return JSON.stringify(row ?? null);
}
