import { badUserInput, assertIntInRange } from './errors';

/** The largest page any list returns; asking for more is a BAD_USER_INPUT, not a silent cut. */
export const MAX_PAGE_SIZE = 200;

/**
 * Cursors encode the sort key of the last item (ids, which never change), so a page continues after that
 * key: an item inserted between two requests can neither repeat nor push another off the next page.
 */
export function encodeCursor(kind: string, key: string): string {
  return Buffer.from(`${kind}:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string | null | undefined): string | null {
  if (cursor === null || cursor === undefined) return null;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const prefix = `${kind}:`;
  if (!decoded.startsWith(prefix) || decoded.length === prefix.length) {
    throw badUserInput(`Argument "after" is not a cursor returned by this list.`, 'after');
  }
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

export function pageRequest(kind: string, args: PageArgs, defaultSize = 50): PageRequest {
  const first = args.first ?? defaultSize;
  assertIntInRange('first', first, 0, MAX_PAGE_SIZE);
  return { first, afterKey: decodeCursor(kind, args.after) };
}

/**
 * A Relay connection whose total is counted only if a client selects `totalCount`: counting can cost more
 * than the page itself on a well-connected entity.
 */
export interface ConnectionModel<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  loadTotalCount: () => Promise<number>;
}

/** Builds a connection from a page fetched with one extra item, which tells whether more follow. */
export function toConnection<T>(
  kind: string,
  fetched: T[],
  first: number,
  keyOf: (item: T) => string,
  loadTotalCount: () => Promise<number>,
): ConnectionModel<T> {
  const edges = fetched.slice(0, first).map((node) => ({ cursor: encodeCursor(kind, keyOf(node)), node }));
  return { edges, pageInfo: { hasNextPage: fetched.length > first, endCursor: edges.at(-1)?.cursor ?? null }, loadTotalCount };
}
