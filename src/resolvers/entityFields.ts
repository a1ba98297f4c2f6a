import type { GraphQLResolveInfo } from 'graphql';
import type { EntityKind, EntityRelationsArgs } from '../generated/graphql';
import type { Context } from '../context';
import type { EntityModel } from '../models/entity';
import type { RelationModel } from '../models/relation';
import { toConnection, type ConnectionModel } from '../pagination';
import { RELATIONS, type RelationBackedField } from './relationFields';

type Args = Record<string, unknown>;

/**
 * An entity by id. When the query selects relation-backed fields on it, they are fetched in the same
 * statement (see src/data/entityTree.ts); otherwise it is one more id for the batched entity loader.
 */
export function loadEntity(context: Context, info: GraphQLResolveInfo, id: string): Promise<EntityModel | null> {
  const fetch = context.lookahead.entities(info);
  return fetch.pages.length > 0 ? context.loaders.entityTree.load({ id, group: fetch }) : context.loaders.entity.load(id);
}

/** The facts a relation-backed field reads for one entity: fetched ahead by a parent, or batched with its siblings'. */
export function relationsOf(context: Context, info: GraphQLResolveInfo, entityId: string, field: RelationBackedField, args: Args = {}): Promise<RelationModel[]> {
  return context.loaders.relationPage.load({ id: entityId, group: context.lookahead.page(info, field, args) });
}

/** The entity at the other end of each fact, in the facts' order, without duplicates. */
export async function otherEnds(context: Context, entityId: string, relations: RelationModel[]): Promise<EntityModel[]> {
  const ids = [...new Set(relations.map((r) => (r.sourceId === entityId ? r.targetId : r.sourceId)))];
  const entities = await context.loaders.entity.loadMany(ids);
  return entities.filter((e): e is EntityModel => e !== null && !(e instanceof Error));
}

/** A derived field that returns the entities at the far end of the entity's facts. */
export async function farEnds(context: Context, info: GraphQLResolveInfo, entityId: string, field: RelationBackedField): Promise<EntityModel[]> {
  return otherEnds(context, entityId, await relationsOf(context, info, entityId, field));
}

/** A relation-backed connection: the page, and a total counted only if selected (and then usually fetched with the page). */
export async function relationConnection(context: Context, info: GraphQLResolveInfo, entityId: string, field: RelationBackedField, args: Args): Promise<ConnectionModel<RelationModel>> {
  const fetch = context.lookahead.page(info, field, args);
  const fetched = await context.loaders.relationPage.load({ id: entityId, group: fetch });
  return toConnection('relation', fetched, fetch.key.page.limit - 1, (r) => r.id, () => context.loaders.relationCount.load({ id: entityId, group: fetch.key.filter }));
}

/** A connection over the distinct entities an entity's facts lead to (event participants). */
export async function neighborConnection(context: Context, info: GraphQLResolveInfo, entityId: string, field: RelationBackedField, args: Args): Promise<ConnectionModel<EntityModel>> {
  const fetch = context.lookahead.page(info, field, args);
  const fetched = await context.loaders.neighborPage.load({ id: entityId, group: fetch });
  return toConnection('entity', fetched, fetch.key.page.limit - 1, (e) => e.id, () => context.loaders.neighborCount.load({ id: entityId, group: fetch.key.filter }));
}

/** Fields every entity type resolves the same way. Spread into each concrete type's resolvers. */
export const entityFields = {
  relations: (parent: EntityModel, args: EntityRelationsArgs, context: Context, info: GraphQLResolveInfo) => relationConnection(context, info, parent.id, RELATIONS, args),
};

/** Federation entry point shared by entity types: a reference resolves only to an entity of that kind. */
export function resolveEntityReference(kind: EntityKind) {
  return async (reference: { id: string }, context: Context, info: GraphQLResolveInfo): Promise<EntityModel | null> => {
    const entity = await loadEntity(context, info, reference.id);
    return entity?.kind === kind ? entity : null;
  };
}
