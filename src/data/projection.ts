/**
 * Which stored properties a request reads. Entities and facts carry bulky properties (evidence quotes,
 * descriptions, attribute statements) that most dashboard queries never select; reading them anyway
 * costs the database, the wire and the driver's decoding (see bench/README.md). A request's projection
 * is worked out once from its whole operation (src/resolvers/selectedProperties.ts), so every entity
 * or fact it loads, wherever in the query, has every property any field of that query can read.
 */
export interface Projection {
  /** Entity properties besides id, kind and name; null for all of them. */
  entity: readonly string[] | null;
  /** Fact properties besides id (type and both ends always come); null for all of them. */
  relation: readonly string[] | null;
}

export const ALL_PROPERTIES: Projection = { entity: null, relation: null };

const ENTITY_KEYS = ['id', 'kind', 'name'];

const properties = (always: string[], chosen: readonly string[]) => [...new Set([...always, ...chosen])].map((name) => `.${name}`).join(', ');

/** Cypher: the entity bound to `e` as a map of the projected properties (plus `extra` entries, e.g. `, pages: ...`). */
export function entityProjection(e: string, projection: Projection, extra = ''): string {
  return `${e} {${projection.entity === null ? '.*' : properties(ENTITY_KEYS, projection.entity)}${extra}}`;
}

/** Cypher: the fact bound to `r` as a map of the projected properties, its type and the ids of both ends. */
export function relationProjection(r: string, projection: Projection, extra = ''): string {
  const stored = projection.relation === null ? '.*' : properties(['id'], projection.relation);
  return `${r} {${stored}, type: type(${r}), sourceId: startNode(${r}).id, targetId: endNode(${r}).id${extra}}`;
}
