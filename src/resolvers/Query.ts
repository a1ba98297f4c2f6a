import type { QueryResolvers } from '../generated/graphql';
import { assertIntInRange } from '../errors';
import { MAX_PAGE_SIZE } from '../pagination';
import { searchEntities, neighborhood } from '../data/exploration';
import { relationFilter } from './entityFields';

export const MAX_NEIGHBORHOOD_DEPTH = 3;
export const MAX_NEIGHBORHOOD_NODES = 500;

export const Query: QueryResolvers = {
  entity: (_root, { id }, context) => context.loaders.entity.load(id),
  relation: (_root, { id }, context) => context.loaders.relation.load(id),
  document: (_root, { id }, context) => context.loaders.document.load(id),
  search: (_root, { text, kinds, first }, context) => {
    const size = first ?? 10;
    assertIntInRange('first', size, 0, MAX_PAGE_SIZE);
    return searchEntities(context.db, text, kinds ?? null, size);
  },
  neighborhood: (_root, { id, depth, limit, types, kinds }, context) => {
    const hops = depth ?? 1;
    const nodeLimit = limit ?? 200;
    assertIntInRange('depth', hops, 1, MAX_NEIGHBORHOOD_DEPTH);
    assertIntInRange('limit', nodeLimit, 1, MAX_NEIGHBORHOOD_NODES);
    return neighborhood(context.db, id, { depth: hops, limit: nodeLimit, types: relationFilter(types).types, kinds: kinds ?? null });
  },
};
