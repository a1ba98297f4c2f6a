import type { QueryResolvers } from '../generated/graphql';
import { assertIntInRange } from '../errors';
import { MAX_PAGE_SIZE } from '../pagination';
import { searchEntities, neighborhood } from '../data/exploration';
import { coOccurrence, graphStats, mostConnected } from '../data/aggregates';
import { countDocuments, listDocuments } from '../data/lists';
import { MAX_PATH_HOPS, shortestPaths } from '../data/paths';
import { loadEntity } from './entityFields';
import { relationFilter } from './relationFields';
import { entityList, keysetConnection, keysetFrom } from './lists';

export const MAX_NEIGHBORHOOD_DEPTH = 3;
export const MAX_NEIGHBORHOOD_NODES = 500;
export const MAX_PATHS = 50;

export const Query: QueryResolvers = {
  entity: (_root, { id }, context, info) => loadEntity(context, info, id),
  relation: (_root, { id }, context) => context.loaders.relation.load(id),
  document: (_root, { id }, context) => context.loaders.document.load(id),

  entities: (_root, args, context, info) => entityList(context, info, args.kinds ?? null, args, 'NAME'),
  people: (_root, args, context, info) => entityList(context, info, ['PERSON'], args, 'NAME'),
  countries: (_root, args, context, info) => entityList(context, info, ['COUNTRY'], args, 'NAME'),
  organizations: (_root, args, context, info) => entityList(context, info, ['ORGANIZATION'], args, 'NAME'),
  regions: (_root, args, context, info) => entityList(context, info, ['REGION'], args, 'NAME'),
  proposals: (_root, args, context, info) => entityList(context, info, ['PROPOSAL'], args, 'NAME'),
  events: (_root, args, context, info) => entityList(context, info, ['EVENT'], args, 'DATE'),
  timeline: (_root, { entityId, from, to, first, after }, context, info) =>
    entityList(
      context,
      info,
      ['EVENT'],
      { filter: { relatedTo: entityId ?? null, from: from ?? null, to: to ?? null }, first, after },
      'DATE',
    ),
  documents: async (_root, { filter, first, after }, context) => {
    const { first: size, after: keyset } = keysetFrom('documents', { first, after });
    const titleContains = filter?.titleContains ?? null;
    const fetched = await listDocuments(context.db, titleContains, size + 1, keyset);
    return keysetConnection(
      'documents',
      fetched.map((d) => ({ ...d, sortKey: d.title })),
      size,
      () => countDocuments(context.db, titleContains),
    );
  },

  search: (_root, { text, kinds, first }, context) => {
    const size = first ?? 10;
    assertIntInRange('first', size, 0, MAX_PAGE_SIZE);
    return searchEntities(context.db, text, kinds ?? null, size);
  },
  neighborhood: async (_root, { id, depth, limit, types, kinds, includeDeprecated, asOf }, context) => {
    const hops = depth ?? 1;
    const nodeLimit = limit ?? 200;
    assertIntInRange('depth', hops, 1, MAX_NEIGHBORHOOD_DEPTH);
    assertIntInRange('limit', nodeLimit, 1, MAX_NEIGHBORHOOD_NODES);
    const subgraph = await neighborhood(context.db, id, {
      depth: hops,
      limit: nodeLimit,
      facts: relationFilter(types, 'BOTH', { includeDeprecated, asOf }),
      kinds: kinds ?? null,
    });
    // The facts' `source` and `target` are among the nodes: resolve them without another round trip.
    for (const node of subgraph.nodes) context.loaders.entity.prime(node.id, node);
    return subgraph;
  },
  path: async (_root, { fromId, toId, maxHops, types }, context) => {
    const hops = maxHops ?? 4;
    assertIntInRange('maxHops', hops, 1, MAX_PATH_HOPS);
    const [path] = await shortestPaths(context.db, fromId, toId, {
      maxHops: hops,
      types: relationFilter(types).types,
      all: false,
      first: 1,
    });
    return path ?? null;
  },
  allShortestPaths: (_root, { fromId, toId, maxHops, types, first }, context) => {
    const hops = maxHops ?? 4;
    const size = first ?? 10;
    assertIntInRange('maxHops', hops, 1, MAX_PATH_HOPS);
    assertIntInRange('first', size, 1, MAX_PATHS);
    return shortestPaths(context.db, fromId, toId, { maxHops: hops, types: relationFilter(types).types, all: true, first: size });
  },

  stats: (_root, _args, context) => graphStats(context.db),
  mostConnected: (_root, { kind, first }, context) => {
    const size = first ?? 10;
    assertIntInRange('first', size, 1, MAX_PAGE_SIZE);
    return mostConnected(context.db, kind ?? null, size);
  },
  coOccurrence: (_root, { id, first }, context) => {
    const size = first ?? 10;
    assertIntInRange('first', size, 1, MAX_PAGE_SIZE);
    return coOccurrence(context.db, id, size);
  },
};
