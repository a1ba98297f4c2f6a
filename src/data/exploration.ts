import { int } from 'neo4j-driver';
import type { EntityKind } from '../generated/graphql';
import type { SearchHitModel } from '../models/aggregates';
import type { NeighborhoodQuery } from '../models/queries';
import type { SubgraphModel } from '../models/subgraph';
import { ENTITY_SEARCH_INDEX } from '../db/schema';
import type { RequestDb } from '../db/neo4jClient';
import { SEARCH_TERM_LENGTH, SEARCH_TERMS } from '../limits';
import { factRelationship, filterParams, filterPredicate, entityFromProps, entityProjection, relationFromProps, relationProjection, type Props } from './graph';

const LUCENE_SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;

/** User text as the index sees it: split on anything but letters and digits, folded to lower-case ASCII. */
export function searchTerms(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, SEARCH_TERMS)
    .map((term) => term.slice(0, SEARCH_TERM_LENGTH));
}

/**
 * Turns free user text into a Lucene query that cannot fail to parse: only letters and digits reach it,
 * so Lucene operators never do. In names and aliases each word matches exactly (boosted), as a prefix, or
 * with one typo; descriptions count exact words only, so that an entity merely described with a word
 * does not outrank the entity named by it.
 */
export function toLuceneQuery(text: string): string | null {
  const terms = searchTerms(text).map((term) => term.replace(LUCENE_SPECIAL, (c) => `\\${c}`));
  if (terms.length === 0) return null;
  const loose = terms.map((t) => (t.length >= 3 ? `(${t}^4 OR ${t}*^2 OR ${t}~1)` : `(${t}^4 OR ${t}*)`)).join(' OR ');
  return `name:(${loose})^3 OR aliases:(${loose})^2 OR description:(${terms.join(' OR ')})`;
}

export async function searchEntities(
  db: RequestDb,
  text: string,
  kinds: EntityKind[] | null,
  first: number,
): Promise<SearchHitModel[]> {
  const query = toLuceneQuery(text);
  if (query === null || first === 0) return [];
  // Prefix matches score alike, so among equal scores the entity whose matching name is shortest wins:
  // "Zelen" finds the person called Zelensky before the talks named after him.
  const rows = await db.read<{ e: Props; score: number }>(
    `CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS e, score
     WHERE $kinds IS NULL OR e.kind IN $kinds
     WITH e, score, [name IN [e.name] + e.aliases WHERE any(term IN $terms WHERE toLower(name) CONTAINS term) | size(name)] AS matchedLengths
     RETURN ${entityProjection('e', db.projection)} AS e, score
     ORDER BY score DESC, reduce(shortest = 1000, length IN matchedLengths | CASE WHEN length < shortest THEN length ELSE shortest END), e.id
     LIMIT $first`,
    { index: ENTITY_SEARCH_INDEX, query, terms: searchTerms(text), kinds, first: int(first) },
  );
  return rows.map((row) => ({ entity: entityFromProps(row.e), score: row.score }));
}

/**
 * Breadth-first, one round trip per level, then one for the nodes and the facts among them: the work is
 * bounded by `depth` and `limit`, never by how many paths lead to a node (a variable-length match would be).
 */
export async function neighborhood(db: RequestDb, centreId: string, options: NeighborhoodQuery): Promise<SubgraphModel> {
  const fact = factRelationship('r', options.facts.types);
  const shown = filterPredicate(options.facts, 'a', 'r', 'b');
  const factParams = filterParams(options.facts);
  const reached = [centreId];
  let frontier = [centreId];
  let truncated = false;
  for (let level = 1; level <= options.depth && frontier.length > 0 && !truncated; level += 1) {
    const remaining = options.limit - reached.length;
    const rows = await db.read<{ id: string }>(
      `MATCH (a:Entity)-[${fact}]-(b:Entity)
       WHERE a.id IN $frontier AND NOT b.id IN $reached AND ($kinds IS NULL OR b.kind IN $kinds) AND ${shown}
       RETURN DISTINCT b.id AS id ORDER BY id LIMIT $take`,
      { frontier, reached, kinds: options.kinds, take: int(remaining + 1), ...factParams },
    );
    if (rows.length > remaining) truncated = true;
    frontier = rows.slice(0, remaining).map((row) => row.id);
    reached.push(...frontier);
  }
  const [row] = await db.read<{ nodes: Props[]; relations: Props[] }>(
    `MATCH (e:Entity) WHERE e.id IN $ids
     WITH collect(${entityProjection('e', db.projection)}) AS nodes
     RETURN nodes, COLLECT {
       MATCH (a:Entity)-[${fact}]->(b:Entity)
       WHERE a.id IN $ids AND b.id IN $ids AND ${shown}
       RETURN ${relationProjection('r', db.projection)} ORDER BY r.id
     } AS relations`,
    { ids: reached, ...factParams },
  );
  if (!row || row.nodes.length === 0) return { nodes: [], relations: [], truncated: false };
  const order = new Map(reached.map((id, i) => [id, i]));
  const nodes = row.nodes.map(entityFromProps).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { nodes, relations: row.relations.map(relationFromProps), truncated };
}
