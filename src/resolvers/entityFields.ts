import type { GraphQLResolveInfo } from 'graphql';
import type { EntityKind, EntityRelationsArgs } from '../generated/graphql';
import type { Context } from '../context';
import type { EntityModel } from '../models/entity';
import type { RelationModel } from '../models/relation';
import type DataLoader from 'dataloader';
import { pageId, type PageFetch } from '../data/entityTree';
import type { GroupedKey } from '../data/groupedLoader';
import { toConnection, type ConnectionModel } from '../pagination';
import { RELATIONS, type RelationBackedField } from './relationFields';

type Args = Record<string, unknown>;

/**
 * An entity by id. When the query selects relation-backed fields on it, they are fetched in the same
 * statement (see src/data/entityTree.ts); otherwise it is one more id for the batched entity loader.
 */
export function loadEntity(context: Context, info: GraphQLResolveInfo, id: string): Promise<EntityModel | null> {
  const fetch = context.lookahead.entities(info);
  // A federation reference without an id is not a string: the plain loader rejects it, for that reference alone.
  return fetch.pages.length > 0 && typeof id === 'string'
    ? context.loaders.entityTree.load({ id, group: fetch })
    : context.loaders.entity.load(id);
}

/**
 * A page that look-ahead fetched along with the entity, if it did. Resolving from it needs no loader and
 * no promise: graphql-js completes a synchronous value far faster, which matters for thousands of items.
 */
function prefetched<T extends RelationModel | EntityModel>(
  entity: EntityModel,
  fetch: PageFetch,
): { items: T[]; total: number | null } | undefined {
  return entity.prefetched?.get(pageId(fetch)) as { items: T[]; total: number | null } | undefined;
}

/** The facts a relation-backed field reads for one entity: fetched ahead by a parent, or batched with its siblings'. */
export function relationsOf(
  context: Context,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
  args: Args = {},
): RelationModel[] | Promise<RelationModel[]> {
  const fetch = context.lookahead.page(info, field, args);
  return prefetched<RelationModel>(entity, fetch)?.items ?? context.loaders.relationPage.load({ id: entity.id, group: fetch });
}

/** The entity at the other end of each fact, in the facts' order, without duplicates. */
async function otherEnds(context: Context, entityId: string, relations: RelationModel[]): Promise<EntityModel[]> {
  const ids = [...new Set(relations.map((r) => (r.sourceId === entityId ? r.targetId : r.sourceId)))];
  const entities = await context.loaders.entity.loadMany(ids);
  return entities.filter((e): e is EntityModel => e !== null && !(e instanceof Error));
}

/** A derived field that returns the entities at the far end of the entity's facts. */
export function farEnds(
  context: Context,
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

/**
 * A relation-backed connection (`relations`, `participants`): the page, from look-ahead or the page
 * loader, and a total counted only if selected (and then usually fetched with the page).
 */
function pageConnection<T extends RelationModel | EntityModel>(
  context: Context,
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

const relationConnection = (context: Context, info: GraphQLResolveInfo, entity: EntityModel, field: RelationBackedField, args: Args) =>
  pageConnection<RelationModel>(context, info, entity, field, args);

/** The distinct entities an entity's facts lead to (event participants), as a connection. */
export const neighborConnection = (
  context: Context,
  info: GraphQLResolveInfo,
  entity: EntityModel,
  field: RelationBackedField,
  args: Args,
) => pageConnection<EntityModel>(context, info, entity, field, args);

/** Fields every entity type resolves the same way. Spread into each concrete type's resolvers. */
export const entityFields = {
  relations: (parent: EntityModel, args: EntityRelationsArgs, context: Context, info: GraphQLResolveInfo) =>
    relationConnection(context, info, parent, RELATIONS, args),
};

/** Federation entry point shared by entity types: a reference resolves only to an entity of that kind. */
export function resolveEntityReference(kind: EntityKind) {
  return async (reference: { id: string }, context: Context, info: GraphQLResolveInfo): Promise<EntityModel | null> => {
    const entity = await loadEntity(context, info, reference.id);
    return entity?.kind === kind ? entity : null;
  };
}
