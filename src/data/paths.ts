import { int } from 'neo4j-driver';
import type { RelationType } from '../generated/graphql';
import type { PathModel } from '../models/path';
import type { RequestDb } from '../db/neo4jClient';
import { PATH_HOPS } from '../limits';
import { entitiesByIds } from './entities';
import { entityFromProps, entityProjection, relationFromProps, relationProjection, type Props } from './graph';

function toPath(nodes: Props[], relations: Props[]): PathModel {
  const entities = nodes.map(entityFromProps);
  const hops = relations.map(relationFromProps).map((relation, i) => {
    const fromId = entities[i]!.id;
    return { relation, fromId, toId: entities[i + 1]!.id, forward: relation.sourceId === fromId };
  });
  return { nodes: entities, hops };
}

/**
 * Shortest paths over fact relationships in either direction, skipping DEPRECATED facts. The hop bound
 * cannot be a Cypher parameter, so it is spliced in after being checked to be an integer in PATH_HOPS.
 */
export async function shortestPaths(
  db: RequestDb,
  fromId: string,
  toId: string,
  options: { maxHops: number; types: RelationType[]; all: boolean; first: number },
): Promise<PathModel[]> {
  if (!Number.isInteger(options.maxHops) || options.maxHops < PATH_HOPS.min || options.maxHops > PATH_HOPS.max) {
    throw new RangeError(`maxHops must be an integer from ${PATH_HOPS.min} to ${PATH_HOPS.max}`);
  }
  if (fromId === toId) {
    const [entity] = await entitiesByIds(db, [fromId]);
    return entity ? [{ nodes: [entity], hops: [] }] : [];
  }
  const finder = options.all ? 'allShortestPaths' : 'shortestPath';
  const rows = await db.read<{ nodes: Props[]; relations: Props[] }>(
    `MATCH (a:Entity {id: $fromId}), (b:Entity {id: $toId})
     MATCH p = ${finder}((a)-[*..${options.maxHops}]-(b))
     WHERE all(r IN relationships(p) WHERE type(r) IN $types AND coalesce(r.rank, 'NORMAL') <> 'DEPRECATED')
     WITH p ORDER BY [n IN nodes(p) | n.id] LIMIT $first
     RETURN [n IN nodes(p) | ${entityProjection('n', db.projection)}] AS nodes, [r IN relationships(p) | ${relationProjection('r', db.projection)}] AS relations`,
    { fromId, toId, types: options.types, first: int(options.first) },
  );
  return rows.map((row) => toPath(row.nodes, row.relations));
}
