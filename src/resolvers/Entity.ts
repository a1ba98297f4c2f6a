import type { EntityResolvers } from '../generated/graphql';
import { TYPE_NAME_BY_KIND } from '../models/kinds';

export const Entity: EntityResolvers = {
  __resolveType: (entity) => TYPE_NAME_BY_KIND[entity.kind],
};
