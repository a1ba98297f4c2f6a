/**
 * How resolvers get entities and the pages behind relation-backed fields: through per-request loaders
 * that batch lookups and hold what planned statements fetched ahead.
 *
 * A resolver that produces entities asks `Lookahead` (src/planner/selection.ts) what the query selects
 * on them; when that includes relation-backed fields, the entities come from `entityTree`, whose batch is
 * one planned statement (src/planner/cypher.ts). Its rows are read back here: entity maps with their
 * pages, turned into models and primed into these same loaders. A relation-backed field then finds its
 * page on its entity, or in the page loader, or loads it batched with its siblings'. A field nobody
 * planned for still loads on its own, so look-ahead only ever saves round trips, never changes an answer.
 */
import DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { EntityKind } from '../generated/graphql';
import type { ConnectionModel } from '../models/connection';
import type { EntityModel, PrefetchedPage } from '../models/entity';
import { ENTITY_ALONE, type EntityFetch, type PageFetch, type PageMode } from '../models/plan';
import type { EntityListQuery, Keyset, RelationFilter } from '../models/queries';
import type { RelationModel } from '../models/relation';
import type { RequestDb } from '../db/neo4jClient';
import { documentsByIds } from '../data/documents';
import { entitiesByIds } from '../data/entities';
import { countEntities, listEntities } from '../data/lists';
import { entityFromProps, relationFromProps, type Props } from '../data/graph';
import { countsByIds, relationsByIds } from '../data/relations';
import { jsonOf, pageId, type RelationBackedField } from './catalogue';
import { entitiesByIdsStatement, entityReturn, PAGES, pagesByIdsStatement, TOTALS } from './cypher';
import { keysetConnection, toConnection } from './pagination';
import type { Lookahead } from './selection';

/** Where fetched pages go: the request's loaders. */
export interface TreePrimer {
  entity(entity: EntityModel): void;
  relationPage(entityId: string, fetch: PageFetch, page: RelationModel[]): void;
  neighborPage(entityId: string, fetch: PageFetch, page: EntityModel[]): void;
  count(entityId: string, mode: PageMode, filter: RelationFilter, total: number): void;
}

type PageItems = RelationModel[] | EntityModel[];

/** Reads one entity map, priming every page in it; returns the entity and its pages. */
function readEntity(props: Props, fetch: EntityFetch, primer: TreePrimer): { entity: EntityModel; pages: (PageItems | null)[] } {
  const entity = entityFromProps(props);
  primer.entity(entity);
  const storedPages = (props[PAGES] ?? []) as (Props[] | null)[];
  const storedTotals = (props[TOTALS] ?? []) as (number | null)[];
  const pages = fetch.pages.map((page, i): PageItems | null => {
    const items = storedPages[i];
    // Null: the entity is not of a kind that has the field, so no resolver will ask.
    if (items === null || items === undefined) return null;
    const total = storedTotals[i];
    if (page.count && typeof total === 'number') primer.count(entity.id, page.mode, page.key.filter, total);
    if (page.mode === 'relations') {
      const relations = items.map((item) => {
        const relation = relationFromProps(item);
        if (page.ends && item.end) {
          const end = readEntity(item.end as Props, page.ends, primer).entity;
          relation.ends = relation.sourceId === entity.id ? { source: entity, target: end } : { source: end, target: entity };
        }
        return relation;
      });
      primer.relationPage(entity.id, page, relations);
      return relations;
    }
    const neighbors = items.map((item) => readEntity(item, page.ends ?? ENTITY_ALONE, primer).entity);
    primer.neighborPage(entity.id, page, neighbors);
    return neighbors;
  });
  if (fetch.pages.length > 0) {
    const prefetched = new Map<string, PrefetchedPage>();
    fetch.pages.forEach((page, i) => {
      const items = pages[i];
      if (items) prefetched.set(pageId(page), { items, total: page.count ? (storedTotals[i] ?? null) : null });
    });
    entity.prefetched = prefetched;
  }
  return { entity, pages };
}

/** Reads an entity map, priming the loaders with it and everything fetched with it. */
export function readEntityTree(props: Props, fetch: EntityFetch, primer: TreePrimer): EntityModel {
  return readEntity(props, fetch, primer).entity;
}

/** Reads the rows of `pagesByIdsStatement`: the one page of each entity, aligned with `ids` (empty where none exists). */
export function readPages<T extends PageItems>(rows: { e: Props }[], ids: readonly string[], fetch: PageFetch, primer: TreePrimer): T[] {
  const tree: EntityFetch = { pages: [fetch] };
  const byId = new Map(rows.map((row) => [row.e.id as string, readEntity(row.e, tree, primer).pages[0] ?? []]));
  return ids.map((id) => (byId.get(id) ?? []) as T);
}

export interface GroupedKey<G> {
  id: string;
  group: G;
}

/**
 * A DataLoader for keys that carry arguments besides the id (filters, page sizes). Keys with equal
 * arguments are fetched together, so N parents asking the same question cost one round trip, not N.
 *
 * `cacheKeyOf` picks the part of the arguments that decides the answer, when the rest only says what to
 * fetch along with it: a page fetched with its far ends answers a later request for the page alone.
 */
function groupedLoader<G, R>(
  fetch: (ids: string[], group: G) => Promise<R[]>,
  cacheKeyOf: (group: G) => unknown = (group) => group,
): DataLoader<GroupedKey<G>, R, string> {
  return new DataLoader<GroupedKey<G>, R, string>(
    async (keys) => {
      const groups = new Map<string, { group: G; indexes: number[] }>();
      keys.forEach((key, index) => {
        const groupKey = jsonOf(key.group);
        const entry = groups.get(groupKey) ?? { group: key.group, indexes: [] };
        entry.indexes.push(index);
        groups.set(groupKey, entry);
      });
      const results = new Array<R>(keys.length);
      await Promise.all(
        [...groups.values()].map(async ({ group, indexes }) => {
          const values = await fetch(
            indexes.map((i) => keys[i]!.id),
            group,
          );
          indexes.forEach((keyIndex, i) => {
            results[keyIndex] = values[i]!;
          });
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => `${jsonOf(key.id)} ${jsonOf(cacheKeyOf(key.group))}` },
  );
}

/** Entities by id with the pages `fetch` asks for, in one round trip; aligned with `ids`, null where none exists. */
async function entityTreesByIds(db: RequestDb, ids: readonly string[], fetch: EntityFetch, primer: TreePrimer) {
  const { cypher, params } = entitiesByIdsStatement(ids, fetch, db.projection);
  const rows = await db.read<{ requested: string; e: Props }>(cypher, params);
  const byId = new Map(rows.map((row) => [row.requested, readEntityTree(row.e, fetch, primer)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** One page for each of the given entities, in one round trip, with whatever the page's far ends need. */
async function pagesByIds<T extends RelationModel[] | EntityModel[]>(
  db: RequestDb,
  ids: readonly string[],
  fetch: PageFetch,
  primer: TreePrimer,
) {
  const { cypher, params } = pagesByIdsStatement(ids, fetch, db.projection);
  return readPages<T>(await db.read<{ e: Props }>(cypher, params), ids, fetch, primer);
}

/**
 * Per-request loaders: each batches the lookups of one request and never outlives it. The primer puts
 * what a planned statement fetched ahead into their caches.
 */
export function createLoaders(db: RequestDb) {
  // Pages are cached by what they answer (entity, filter, page), not by what was fetched along with them.
  const byPageKey = (fetch: PageFetch) => fetch.key;
  const loaders = {
    entity: new DataLoader((ids: readonly string[]) => entitiesByIds(db, ids)),
    /** Entities with the pages a query selects on them. */
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

/** What the planner needs of a request's context. */
export interface PlannerContext {
  db: RequestDb;
  loaders: Loaders;
  primer: TreePrimer;
  lookahead: Lookahead;
}

type Args = Record<string, unknown>;

/**
 * An entity by id. When the query selects relation-backed fields on it, they are fetched in the same
 * statement; otherwise it is one more id for the batched entity loader.
 */
export function loadEntity(context: PlannerContext, info: GraphQLResolveInfo, id: string): Promise<EntityModel | null> {
  const fetch = context.lookahead.entities(info);
  // A federation reference without an id is not a string: the plain loader rejects it, for that reference alone.
  return fetch.pages.length > 0 && typeof id === 'string'
    ? context.loaders.entityTree.load({ id, group: fetch })
    : context.loaders.entity.load(id);
}

/** Federation entry point of an entity type: a reference resolves only to an entity of that kind. */
export function resolveEntityReference(kind: EntityKind) {
  return async (reference: { id: string }, context: PlannerContext, info: GraphQLResolveInfo): Promise<EntityModel | null> => {
    const entity = await loadEntity(context, info, reference.id);
    return entity?.kind === kind ? entity : null;
  };
}

/**
 * A page that look-ahead fetched along with the entity, if it did. Resolving from it needs no loader and
 * no promise: graphql-js completes a synchronous value far faster, which matters for thousands of items.
 */
function prefetched<T extends RelationModel | EntityModel>(entity: EntityModel, fetch: PageFetch) {
  return entity.prefetched?.get(pageId(fetch)) as { items: T[]; total: number | null } | undefined;
}

/** The facts a relation-backed field reads for one entity: fetched ahead by a parent, or batched with its siblings'. */
export function relationsOf(
  context: PlannerContext,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
  args: Args = {},
): RelationModel[] | Promise<RelationModel[]> {
  const fetch = context.lookahead.page(info, field, args);
  return prefetched<RelationModel>(entity, fetch)?.items ?? context.loaders.relationPage.load({ id: entity.id, group: fetch });
}

/** The entity at the other end of each fact, in the facts' order, without duplicates. */
async function otherEnds(context: PlannerContext, entityId: string, relations: RelationModel[]): Promise<EntityModel[]> {
  const ids = [...new Set(relations.map((r) => (r.sourceId === entityId ? r.targetId : r.sourceId)))];
  const entities = await context.loaders.entity.loadMany(ids);
  return entities.filter((e): e is EntityModel => e !== null && !(e instanceof Error));
}

/** A derived field that returns the entities at the far end of the entity's facts. */
export function farEnds(
  context: PlannerContext,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
): EntityModel[] | Promise<EntityModel[]> {
  const relations = relationsOf(context, info, entity, field);
  if (Array.isArray(relations) && relations.every((r) => r.ends)) {
    const ends = relations.map((r) => (r.ends!.source.id === entity.id ? r.ends!.target : r.ends!.source));
    return [...new Map(ends.map((end) => [end.id, end])).values()];
  }
  return Promise.resolve(relations).then((loaded) => otherEnds(context, entity.id, loaded));
}

/** The first far end of a derived field (such as `location`), or null. */
export async function farEnd(context: PlannerContext, info: GraphQLResolveInfo, entity: EntityModel, field: RelationBackedField) {
  return (await farEnds(context, info, entity, field))[0] ?? null;
}

/**
 * A relation-backed connection (`relations`, `participants`): the page, from look-ahead or the page
 * loader, and a total counted only if selected (and then usually fetched with the page).
 */
function pageConnection<T extends RelationModel | EntityModel>(
  context: PlannerContext,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
  args: Args,
): ConnectionModel<T> | Promise<ConnectionModel<T>> {
  const fetch = context.lookahead.page(info, field, args);
  const facts = fetch.mode === 'relations';
  const counts = facts ? context.loaders.relationCount : context.loaders.neighborCount;
  const connection = (items: T[], total: number | null = null) =>
    toConnection(
      facts ? 'relation' : 'entity',
      items,
      fetch.key.page.limit - 1,
      (item) => item.id,
      async () => total ?? counts.load({ id: entity.id, group: fetch.key.filter }),
    );
  const ahead = prefetched<T>(entity, fetch);
  if (ahead) return connection(ahead.items, ahead.total);
  const pages = (facts ? context.loaders.relationPage : context.loaders.neighborPage) as DataLoader<GroupedKey<PageFetch>, T[], string>;
  return pages.load({ id: entity.id, group: fetch }).then((items) => connection(items));
}

/** The facts an entity's field reads (`relations`), as a connection. */
export const relationConnection = (
  context: PlannerContext,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
  args: Args,
) => pageConnection<RelationModel>(context, info, entity, field, args);

/** The distinct entities an entity's facts lead to (event participants), as a connection. */
export const neighborConnection = (
  context: PlannerContext,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
  args: Args,
) => pageConnection<EntityModel>(context, info, entity, field, args);

/**
 * A page of an entity list (the per-kind lists, `entities`, `timeline`): the page, its total (when
 * selected) and the relation-backed fields selected on its entities are one statement.
 */
export async function entityListPage(
  context: PlannerContext,
  info: GraphQLResolveInfo,
  query: EntityListQuery,
  cursorKind: string,
  page: { first: number; after: Keyset | null },
): Promise<ConnectionModel<EntityModel>> {
  const fetch = context.lookahead.entities(info, ['edges', 'node']);
  const { rows, total } = await listEntities(
    context.db,
    query,
    { limit: page.first + 1, after: page.after },
    entityReturn(fetch, context.db.projection),
    context.lookahead.selects(info, ['totalCount']),
  );
  const items = rows.map((row) => ({ node: readEntityTree(row.e, fetch, context.primer), sortKey: row.sortKey }));
  return keysetConnection(cursorKind, items, page.first, async () => total ?? countEntities(context.db, query));
}
