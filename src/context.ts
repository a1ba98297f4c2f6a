import DataLoader from 'dataloader';
import type { Logger } from './logger';
import type { Neo4jClient } from './db/neo4jClient';
import type { EntityModel } from './models/entity';
import type { RelationModel } from './models/relation';
import { RequestDb } from './data/requestDb';
import { entitiesByIds } from './data/entities';
import { documentsByIds } from './data/documents';
import { relationsByIds, type RelationFilter } from './data/relations';
import { countsByIds, entityTreesByIds, pagesByIds, type EntityFetch, type PageFetch, type TreePrimer } from './data/entityTree';
import { groupedLoader } from './data/groupedLoader';
import { Lookahead } from './resolvers/lookahead';

/**
 * Per-request loaders: each batches the lookups of one request and never outlives it. The primer puts
 * what a statement fetched ahead (src/data/entityTree.ts) into their caches.
 */
export function createLoaders(db: RequestDb) {
  // Pages are cached by what they answer (entity, filter, page), not by what was fetched along with them.
  const byPageKey = (fetch: PageFetch) => fetch.key;
  const loaders = {
    entity: new DataLoader((ids: readonly string[]) => entitiesByIds(db, ids)),
    /** Entities with the pages a query selects on them (see src/data/entityTree.ts). */
    entityTree: groupedLoader((ids, fetch: EntityFetch) => entityTreesByIds(db, ids, fetch, primer)),
    document: new DataLoader((ids: readonly string[]) => documentsByIds(db, ids)),
    relation: new DataLoader((ids: readonly string[]) => relationsByIds(db, ids)),
    relationPage: groupedLoader((ids, fetch: PageFetch) => pagesByIds<RelationModel[]>(db, ids, fetch, primer), byPageKey),
    neighborPage: groupedLoader((ids, fetch: PageFetch) => pagesByIds<EntityModel[]>(db, ids, fetch, primer), byPageKey),
    relationCount: groupedLoader((ids, filter: RelationFilter) => countsByIds(db, ids, 'relations', filter)),
    neighborCount: groupedLoader((ids, filter: RelationFilter) => countsByIds(db, ids, 'neighbors', filter)),
  };
  const primer: TreePrimer = {
    entity: (entity) => loaders.entity.prime(entity.id, entity),
    relationPage: (id, fetch, page) => loaders.relationPage.prime({ id, group: fetch }, page),
    neighborPage: (id, fetch, page) => loaders.neighborPage.prime({ id, group: fetch }, page),
    count: (id, mode, filter, total) =>
      (mode === 'relations' ? loaders.relationCount : loaders.neighborCount).prime({ id, group: filter }, total),
  };
  return { loaders, primer };
}

export type Loaders = ReturnType<typeof createLoaders>['loaders'];

export interface Context {
  requestId: string;
  logger: Logger;
  db: RequestDb;
  loaders: Loaders;
  primer: TreePrimer;
  /** What the query selects below a field, read once per field and request. */
  lookahead: Lookahead;
}

export function createContext(
  client: Neo4jClient,
  logger: Logger,
  requestId: string,
  options: { lookahead: boolean } = { lookahead: true },
): Context {
  const db = new RequestDb(client);
  const { loaders, primer } = createLoaders(db);
  return { requestId, logger: logger.child({ requestId }), db, loaders, primer, lookahead: new Lookahead({ enabled: options.lookahead }) };
}
