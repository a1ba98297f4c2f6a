import type { EntityResolvers } from '../generated/graphql';
import { TYPE_NAME_BY_KIND } from './entityFields';

export const Entity: EntityResolvers = {
  __resolveType: (entity) => TYPE_NAME_BY_KIND[entity.kind],
};
