import type { EntityFilter, EntityKind, EntityOrder, EventFilter, EventOrder, QueryResolvers } from '../generated/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context';
import {
  CHANGES_PAGE,
  intArgument,
  MENTIONS,
  NEIGHBORHOOD_DEPTH,
  NEIGHBORHOOD_NODES,
  PATH_HOPS,
  RANKED_ENTITIES,
  SEARCH_HITS,
  SHORTEST_PATHS,
} from '../limits';
import { searchEntities, neighborhood } from '../data/exploration';
import { changesPage, countChanges, idsMergedInto } from '../data/changes';
import { badUserInput } from '../errors';
import { coOccurrence, graphStats, mostConnected } from '../data/aggregates';
import { countDocuments, listDocuments } from '../data/lists';
import { allowedRelationTypes } from '../data/graph';
import { shortestPaths } from '../data/paths';
import { relationFilter } from '../planner/catalogue';
import { entityListPage, loadEntity } from '../planner/load';
import { keysetConnection, keysetFrom, type PageArgs } from '../planner/pagination';

interface ListArgs extends PageArgs {
  filter?: (EntityFilter & Partial<Pick<EventFilter, 'from' | 'to'>>) | null;
  orderBy?: EntityOrder | EventOrder | null;
}

/** Every entity list (the per-kind lists, `entities` and `timeline`) comes through here. */
function entityList(
  context: Context,
  info: GraphQLResolveInfo,
  kinds: EntityKind[] | null,
  args: ListArgs,
  defaultOrder: EntityOrder | EventOrder,
) {
  const order = args.orderBy ?? defaultOrder;
  const cursorKind = `list:${order}`;
  const filter = args.filter ?? {};
  const query = {
    kinds,
    nameContains: filter.nameContains ?? null,
    relatedTo: filter.relatedTo ?? null,
    relationTypes: filter.relationTypes ? allowedRelationTypes(filter.relationTypes) : null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    order,
  };
  return entityListPage(context, info, query, cursorKind, keysetFrom(cursorKind, args));
}

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
    const page = keysetFrom('documents', { first, after });
    const titleContains = filter?.titleContains ?? null;
    const fetched = await listDocuments(context.db, titleContains, page.first + 1, page.after);
    return keysetConnection(
      'documents',
      fetched.map((node) => ({ node, sortKey: node.title })),
      page.first,
      () => countDocuments(context.db, titleContains),
    );
  },

  search: (_root, { text, kinds, first }, context) =>
    searchEntities(context.db, text, kinds ?? null, intArgument('first', first, SEARCH_HITS)),
  neighborhood: async (_root, { id, depth, limit, types, kinds, includeDeprecated, asOf }, context) => {
    const subgraph = await neighborhood(context.db, id, {
      depth: intArgument('depth', depth, NEIGHBORHOOD_DEPTH),
      limit: intArgument('limit', limit, NEIGHBORHOOD_NODES),
      facts: relationFilter(types, 'BOTH', { includeDeprecated, asOf }),
      kinds: kinds ?? null,
    });
    // The facts' `source` and `target` are among the nodes: resolve them without another round trip.
    for (const node of subgraph.nodes) context.loaders.entity.prime(node.id, node);
    return subgraph;
  },
  path: async (_root, { fromId, toId, maxHops, types }, context) => {
    const hops = intArgument('maxHops', maxHops, PATH_HOPS);
    const [path] = await shortestPaths(context.db, fromId, toId, {
      maxHops: hops,
      types: relationFilter(types).types,
      all: false,
      first: 1,
    });
    return path ?? null;
  },
  allShortestPaths: (_root, { fromId, toId, maxHops, types, first }, context) =>
    shortestPaths(context.db, fromId, toId, {
      maxHops: intArgument('maxHops', maxHops, PATH_HOPS),
      types: relationFilter(types).types,
      all: true,
      first: intArgument('first', first, SHORTEST_PATHS),
    }),

  stats: (_root, _args, context) => graphStats(context.db),
  mostConnected: (_root, { kind, first }, context) => mostConnected(context.db, kind ?? null, intArgument('first', first, RANKED_ENTITIES)),
  coOccurrence: (_root, { id, first }, context) => coOccurrence(context.db, id, intArgument('first', first, RANKED_ENTITIES)),

  suggestEntities: async (_root, { text, first }, context) => {
    const size = intArgument('first', first, MENTIONS);
    const { maxTextBytes } = context.services.limits;
    if (Buffer.byteLength(text, 'utf8') > maxTextBytes) {
      throw badUserInput(`Argument "text" is longer than ${maxTextBytes} bytes (INGEST_MAX_TEXT_BYTES).`, 'text');
    }
    return (await context.services.mentions.finder(context.db)).find(text, size);
  },
  changes: async (_root, { entityId, documentId, first, after }, context) => {
    const page = keysetFrom('changes', { first, after }, CHANGES_PAGE);
    // An entity's changes include those of the entities merged into it.
    const entityIds = entityId ? await idsMergedInto(context.db, (await context.loaders.entity.load(entityId))?.id ?? entityId) : null;
    const filter = { entityIds, documentId: documentId ?? null };
    const found = await changesPage(context.db, filter, page.first + 1, page.after);
    return keysetConnection(
      'changes',
      found.map((node) => ({ node, sortKey: node.at })),
      page.first,
      () => countChanges(context.db, filter),
    );
  },
};
