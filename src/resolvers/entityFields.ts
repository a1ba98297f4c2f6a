import type { EntityKind, EntityRelationsArgs, RelationType, Direction } from '../generated/graphql';
import type { Context } from '../context';
import type { EntityModel } from '../models/entity';
import type { RelationModel } from '../models/relation';
import { allowedRelationTypes, type RelationFilter } from '../data/relations';
import { pageRequest, toConnection } from '../pagination';

/** The most facts a derived, unpaginated field (such as `Region.control`) returns. */
export const DERIVED_FIELD_LIMIT = 100;

export function relationFilter(
  types: readonly RelationType[] | null | undefined,
  direction: Direction = 'BOTH',
  options: { includeDeprecated?: boolean | null; asOf?: string | null } = {},
): RelationFilter {
  return { types: allowedRelationTypes(types), direction, includeDeprecated: options.includeDeprecated ?? false, asOf: options.asOf ?? null };
}

/** The facts of one entity that a derived field is built from, batched with its siblings'. */
export function relationsOf(context: Context, entityId: string, filter: RelationFilter): Promise<RelationModel[]> {
  return context.loaders.relationPage.load({ id: entityId, group: { filter, page: { limit: DERIVED_FIELD_LIMIT, afterKey: null } } });
}

/** The entity at the other end of each fact, in the facts' order, without duplicates. */
export async function otherEnds(context: Context, entityId: string, relations: RelationModel[]): Promise<EntityModel[]> {
  const ids = [...new Set(relations.map((r) => (r.sourceId === entityId ? r.targetId : r.sourceId)))];
  const entities = await context.loaders.entity.loadMany(ids);
  return entities.filter((e): e is EntityModel => e !== null && !(e instanceof Error));
}

/** Fields every entity type resolves the same way. Spread into each concrete type's resolvers. */
export const entityFields = {
  relations: (parent: EntityModel, args: EntityRelationsArgs, context: Context) => {
    const filter = relationFilter(args.types, args.direction ?? 'BOTH', args);
    const page = pageRequest('relation', args);
    return context.loaders.relationPage
      .load({ id: parent.id, group: { filter, page: { limit: page.first + 1, afterKey: page.afterKey } } })
      .then((fetched) =>
        toConnection('relation', fetched, page.first, (r) => r.id, () => context.loaders.relationCount.load({ id: parent.id, group: filter })),
      );
  },
};

/** Federation entry point shared by entity types: a reference resolves only to an entity of that kind. */
export function resolveEntityReference(kind: EntityKind) {
  return async (reference: { id: string }, context: Context): Promise<EntityModel | null> => {
    const entity = await context.loaders.entity.load(reference.id);
    return entity?.kind === kind ? entity : null;
  };
}
