import type { EntityMentionResolvers } from '../generated/graphql';
import type { EntityModel } from '../models/entity';

export const EntityMention: EntityMentionResolvers = {
  entity: (mention, _args, context) => (mention.entityIds.length === 1 ? context.loaders.entity.load(mention.entityIds[0]!) : null),
  candidates: async (mention, _args, context) =>
    (await context.loaders.entity.loadMany(mention.entityIds)).filter((e): e is EntityModel => e !== null && !(e instanceof Error)),
  resolved: (mention) => mention.entityIds.length === 1,
};
