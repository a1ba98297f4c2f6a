/**
 * A Relay connection whose total is counted only if a client selects `totalCount`: counting can cost more
 * than the page itself on a well-connected entity.
 */
export interface ConnectionModel<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  loadTotalCount: () => Promise<number>;
}
