import type { GraphQLResolveInfo } from 'graphql';
import type { EntityFilter, EntityKind, EntityOrder, EventFilter, EventOrder } from '../generated/graphql';
import type { Context } from '../context';
import type { EntityModel } from '../models/entity';
import { countEntities, listEntities, type EntityListQuery, type Keyset } from '../data/lists';
import { allowedRelationTypes } from '../data/relations';
import { badUserInput } from '../errors';
import { encodeCursor, pageRequest, type ConnectionModel, type PageArgs } from '../pagination';

/** Keyset cursors carry the order they were made for; a cursor from another order is refused. */
export function keysetFrom(cursorKind: string, args: PageArgs): { first: number; after: Keyset | null } {
  const page = pageRequest(cursorKind, args);
  if (page.afterKey === null) return { first: page.first, after: null };
  try {
    const [sortKey, id] = JSON.parse(page.afterKey) as [string | number, string];
    if ((typeof sortKey === 'string' || typeof sortKey === 'number') && typeof id === 'string')
      return { first: page.first, after: { sortKey, id } };
  } catch {
    // fall through to the error below
  }
  throw badUserInput('Argument "after" is not a cursor returned by this list.', 'after');
}

export function keysetConnection<T extends { id: string }>(
  cursorKind: string,
  fetched: (T & { sortKey: string | number })[],
  first: number,
  loadTotalCount: () => Promise<number>,
): ConnectionModel<T> {
  const edges = fetched
    .slice(0, first)
    .map(({ sortKey, ...node }) => ({ cursor: encodeCursor(cursorKind, JSON.stringify([sortKey, node.id])), node: node as unknown as T }));
  return { edges, pageInfo: { hasNextPage: fetched.length > first, endCursor: edges.at(-1)?.cursor ?? null }, loadTotalCount };
}

interface ListArgs extends PageArgs {
  filter?: (EntityFilter & Partial<Pick<EventFilter, 'from' | 'to'>>) | null;
  orderBy?: EntityOrder | EventOrder | null;
}

/**
 * Resolves any entity list: the per-kind lists, `entities` and `timeline` all come through here. The page,
 * its total (when selected) and the relation-backed fields selected on its entities are one statement.
 */
export async function entityList(
  context: Context,
  info: GraphQLResolveInfo,
  kinds: EntityKind[] | null,
  args: ListArgs,
  defaultOrder: EntityOrder | EventOrder,
): Promise<ConnectionModel<EntityModel>> {
  const order = args.orderBy ?? defaultOrder;
  const cursorKind = `list:${order}`;
  const { first, after } = keysetFrom(cursorKind, args);
  const filter = args.filter ?? {};
  const query: EntityListQuery = {
    kinds,
    nameContains: filter.nameContains ?? null,
    relatedTo: filter.relatedTo ?? null,
    relationTypes: filter.relationTypes ? allowedRelationTypes(filter.relationTypes) : null,
    from: filter.from ?? null,
    to: filter.to ?? null,
    order,
  };
  const { items, total } = await listEntities(
    context.db,
    query,
    { limit: first + 1, after },
    {
      fetch: context.lookahead.entities(info, ['edges', 'node']),
      count: context.lookahead.selects(info, ['totalCount']),
      primer: context.primer,
    },
  );
  return keysetConnection(cursorKind, items, first, async () => total ?? countEntities(context.db, query));
}
