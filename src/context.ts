import DataLoader from 'dataloader';
import type { Logger } from './logger';
import type { Neo4jClient } from './db/neo4jClient';
import { RequestDb } from './data/requestDb';
import { entitiesByIds } from './data/entities';
import { documentsByIds } from './data/documents';
import { neighborCounts, neighborPages, relationCounts, relationPages, relationsByIds, type RelationFilter } from './data/relations';
import { groupedLoader } from './data/groupedLoader';

type Page = { limit: number; afterKey: string | null };

/** Per-request loaders: each batches the lookups of one request and never outlives it. */
export function createLoaders(db: RequestDb) {
  return {
    entity: new DataLoader((ids: readonly string[]) => entitiesByIds(db, ids)),
    document: new DataLoader((ids: readonly string[]) => documentsByIds(db, ids)),
    relation: new DataLoader((ids: readonly string[]) => relationsByIds(db, ids)),
    relationPage: groupedLoader((ids, group: { filter: RelationFilter; page: Page }) => relationPages(db, ids, group.filter, group.page)),
    relationCount: groupedLoader((ids, filter: RelationFilter) => relationCounts(db, ids, filter)),
    neighborPage: groupedLoader((ids, group: { filter: RelationFilter; page: Page }) => neighborPages(db, ids, group.filter, group.page)),
    neighborCount: groupedLoader((ids, filter: RelationFilter) => neighborCounts(db, ids, filter)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  requestId: string;
  logger: Logger;
  db: RequestDb;
  loaders: Loaders;
}

export function createContext(client: Neo4jClient, logger: Logger, requestId: string): Context {
  const db = new RequestDb(client);
  return { requestId, logger: logger.child({ requestId }), db, loaders: createLoaders(db) };
}
