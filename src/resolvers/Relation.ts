import type { RelationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import type { EntityModel } from '../models/entity';
import { precisionOf } from '../models/dates';

/** Both ends of a fact always exist (the loader writes them in the same transaction); a gap is a bug. */
export async function requiredEntity(context: Context, id: string): Promise<EntityModel> {
  const entity = await context.loaders.entity.load(id);
  if (!entity) throw new Error(`Fact refers to missing entity ${id}`);
  return entity;
}

export const Relation: RelationResolvers = {
  __resolveReference: (reference, context) => context.loaders.relation.load(reference.id),
  source: (relation, _args, context) => relation.ends?.source ?? requiredEntity(context, relation.sourceId),
  target: (relation, _args, context) => relation.ends?.target ?? requiredEntity(context, relation.targetId),
  precision: (relation) => precisionOf(relation.pointInTime ?? relation.validFrom ?? relation.validTo),
  claimedBy: (relation, _args, context) => (relation.claimedById ? context.loaders.entity.load(relation.claimedById) : null),
  supportCount: (relation) => new Set(relation.evidence.map((e) => e.documentId)).size,
  supersededBy: (relation, _args, context) => (relation.supersededById ? context.loaders.relation.load(relation.supersededById) : null),
};
