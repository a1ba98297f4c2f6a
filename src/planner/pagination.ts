/**
 * Pages and cursors. Cursors encode the sort key of the last item (ids, which never change), so a page
 * continues after that key: an item inserted between two requests can neither repeat nor push another
 * off the next page.
 */
import type { ConnectionModel } from '../models/connection';
import type { Keyset } from '../models/queries';
import { badUserInput } from '../errors';
import { intArgument, PAGE_SIZE, type IntRange } from '../limits';

export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

const notACursor = () => badUserInput('Argument "after" is not a cursor returned by this list.', 'after');

export function decodeCursor(kind: string, cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${kind}:`;
  if (!decoded.startsWith(prefix) || decoded.length === prefix.length) throw notACursor();
  return decoded.slice(prefix.length);
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface PageRequest {
  first: number;
  afterKey: string | null;
}

/** A page's size (PAGE_SIZE; asking for more is a BAD_USER_INPUT, not a silent cut) and where it starts. */
export function pageRequest(kind: string, args: PageArgs, size: IntRange = PAGE_SIZE): PageRequest {
  return { first: intArgument('first', args.first, size), afterKey: decodeCursor(kind, args.after) };
}

/** Builds a connection from a page fetched with one extra item, which tells whether more follow. */
function connectionOf<I, T>(
  kind: string,
  fetched: I[],
  first: number,
  keyOf: (item: I) => string,
  nodeOf: (item: I) => T,
  loadTotalCount: () => Promise<number>,
): ConnectionModel<T> {
  const edges = fetched.slice(0, first).map((item) => ({ cursor: encodeCursor(kind, keyOf(item)), node: nodeOf(item) }));
  return { edges, pageInfo: { hasNextPage: fetched.length > first, endCursor: edges.at(-1)?.cursor ?? null }, loadTotalCount };
}

/** A connection over items sorted by a key of their own (an id): the cursor holds that key. */
export function toConnection<T>(
  kind: string,
  fetched: T[],
  first: number,
  keyOf: (item: T) => string,
  loadTotalCount: () => Promise<number>,
): ConnectionModel<T> {
  return connectionOf(kind, fetched, first, keyOf, (item) => item, loadTotalCount);
}

/** Keyset cursors carry the order they were made for; a cursor from another order is refused. */
export function keysetFrom(cursorKind: string, args: PageArgs, size: IntRange = PAGE_SIZE): { first: number; after: Keyset | null } {
  const page = pageRequest(cursorKind, args, size);
  if (page.afterKey === null) return { first: page.first, after: null };
  try {
    const [sortKey, id] = JSON.parse(page.afterKey) as [string | number, string];
    if ((typeof sortKey === 'string' || typeof sortKey === 'number') && typeof id === 'string')
      return { first: page.first, after: { sortKey, id } };
  } catch {
    // fall through to the error below
  }
  throw notACursor();
}

/** A connection over a list sorted by a keyset: each cursor holds the item's sort key and id. */
export function keysetConnection<T extends { id: string }>(
  cursorKind: string,
  fetched: { node: T; sortKey: string | number }[],
  first: number,
  loadTotalCount: () => Promise<number>,
): ConnectionModel<T> {
  const keyOf = (item: { node: T; sortKey: string | number }) => JSON.stringify([item.sortKey, item.node.id]);
  return connectionOf(cursorKind, fetched, first, keyOf, (item) => item.node, loadTotalCount);
}
