import { int } from 'neo4j-driver';
import type { EntityKind, RelationType } from '../generated/graphql';
import type { EntityModel } from '../models/entity';
import type { SubgraphModel } from '../models/subgraph';
import type { RequestDb } from './requestDb';
import { ENTITY_PROJECTION, entityFromProps } from './entities';
import { RELATION_PROJECTION, relationFromProps } from './relations';
import type { Props } from './records';

/** The full-text index over entity names, aliases and descriptions, created by the seed loader. */
export const ENTITY_SEARCH_INDEX = 'entity_search';

const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;
const MAX_SEARCH_TERMS = 8;
const MAX_TERM_LENGTH = 40;

/**
 * Turns free user text into a Lucene query that cannot fail to parse. Words are split on anything that is
 * not a letter or digit (so Lucene operators never reach the index), folded to lower-case ASCII like the
 * index's analyzer, and each word matches exactly (boosted), as a prefix, or with one typo.
 */
export function toLuceneQuery(text: string): string | null {
  const terms = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, MAX_SEARCH_TERMS)
    .map((term) => term.slice(0, MAX_TERM_LENGTH).replace(LUCENE_SPECIAL, (c) => `\\${c}`));
  if (terms.length === 0) return null;
  return terms.map((t) => (t.length >= 3 ? `(${t}^4 OR ${t}*^2 OR ${t}~1)` : `(${t}^4 OR ${t}*)`)).join(' OR ');
}

export interface SearchHitModel {
  entity: EntityModel;
  score: number;
}

export async function searchEntities(
  db: RequestDb,
  text: string,
  kinds: EntityKind[] | null,
  first: number,
): Promise<SearchHitModel[]> {
  const query = toLuceneQuery(text);
  if (query === null || first === 0) return [];
  const rows = await db.read<{ e: Props; score: number }>(
    `CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS e, score
     WHERE $kinds IS NULL OR e.kind IN $kinds
     RETURN ${ENTITY_PROJECTION} AS e, score
     ORDER BY score DESC, e.id
     LIMIT $first`,
    { index: ENTITY_SEARCH_INDEX, query, kinds, first: int(first) },
  );
  return rows.map((row) => ({ entity: entityFromProps(row.e), score: row.score }));
}

export interface NeighborhoodOptions {
  depth: number;
  limit: number;
  types: RelationType[];
  kinds: EntityKind[] | null;
}

/**
 * Breadth-first, one round trip per level, then one for the nodes and the facts among them: the work is
 * bounded by `depth` and `limit`, never by how many paths lead to a node (a variable-length match would be).
 */
export async function neighborhood(db: RequestDb, centreId: string, options: NeighborhoodOptions): Promise<SubgraphModel> {
  const reached = [centreId];
  let frontier = [centreId];
  let truncated = false;
  for (let level = 1; level <= options.depth && frontier.length > 0 && !truncated; level += 1) {
    const remaining = options.limit - reached.length;
    const rows = await db.read<{ id: string }>(
      `MATCH (a:Entity)-[r]-(b:Entity)
       WHERE a.id IN $frontier AND type(r) IN $types AND coalesce(r.rank, 'NORMAL') <> 'DEPRECATED'
         AND NOT b.id IN $reached AND ($kinds IS NULL OR b.kind IN $kinds)
       RETURN DISTINCT b.id AS id ORDER BY id LIMIT $take`,
      { frontier, reached, types: options.types, kinds: options.kinds, take: int(remaining + 1) },
    );
    if (rows.length > remaining) truncated = true;
    frontier = rows.slice(0, remaining).map((row) => row.id);
    reached.push(...frontier);
  }
  const [row] = await db.read<{ nodes: Props[]; relations: Props[] }>(
    `MATCH (e:Entity) WHERE e.id IN $ids
     WITH collect(${ENTITY_PROJECTION}) AS nodes
     RETURN nodes, COLLECT {
       MATCH (a:Entity)-[r]->(b:Entity)
       WHERE a.id IN $ids AND b.id IN $ids AND type(r) IN $types AND coalesce(r.rank, 'NORMAL') <> 'DEPRECATED'
       RETURN ${RELATION_PROJECTION} ORDER BY r.id
     } AS relations`,
    { ids: reached, types: options.types },
  );
  if (!row || row.nodes.length === 0) return { nodes: [], relations: [], truncated: false };
  const order = new Map(reached.map((id, i) => [id, i]));
  const nodes = row.nodes.map(entityFromProps).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { nodes, relations: row.relations.map(relationFromProps), truncated };
}
