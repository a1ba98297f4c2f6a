/** The change log: one `(:Change)` node per write, appended in the write's transaction and never altered. */
import { int, type ManagedTransaction } from 'neo4j-driver';
import type { ChangeOperation } from '../generated/graphql';
import type { ChangeModel } from '../models/change';
import type { Keyset } from '../models/queries';
import type { RequestDb } from '../db/neo4jClient';
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

/** An entity's id and the ids of the entities merged into it: a change to any of them is a change to it. */
export async function idsMergedInto(db: RequestDb, id: string): Promise<string[]> {
  const found = await db.read<{ id: string }>('MATCH (m:MergedEntity {mergedInto: $id}) RETURN m.id AS id', { id });
  return [id, ...found.map((row) => row.id)];
}
