import { int } from 'neo4j-driver';
import type { EntityKind } from '../generated/graphql';
import type { SearchHitModel } from '../models/aggregates';
import type { NeighborhoodQuery } from '../models/queries';
import type { SubgraphModel } from '../models/subgraph';
import { ENTITY_SEARCH_INDEX } from '../db/schema';
import type { RequestDb } from '../db/neo4jClient';
import { NEIGHBORHOOD_EXPANSION, SEARCH_TERM_LENGTH, SEARCH_TERMS } from '../limits';
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
 * The order in which an entity's neighbours are kept (NEIGHBORHOOD_EXPANSION), by the fact that links them:
 * PREFERRED facts first, then the most recent (the latest of `validTo`, `pointInTime` and `validFrom`;
 * undated last), then by the neighbour's id. Cypher, over `r` and `b`.
 */
const KEEP_FIRST = {
  rank: `CASE coalesce(r.rank, 'NORMAL') WHEN 'PREFERRED' THEN 0 WHEN 'NORMAL' THEN 1 ELSE 2 END`,
  latest: `coalesce(r.validTo, r.pointInTime, r.validFrom, '')`,
};

/**
 * Breadth-first, one round trip per level, then one for the nodes and the facts among them. Each entity
 * adds at most `perEntity` neighbours, in the KEEP_FIRST order; an entity with more than `hubFacts` facts
 * (other than the centre) is drawn but not expanded, since ranking its neighbours would read every one of
 * its facts; for the same reason the facts among the nodes are read from every node but such hubs, so a
 * fact between two of them is not listed. The work is bounded by `depth`, `limit` and those two bounds,
 * never by a hub's degree.
 */
export async function neighborhood(db: RequestDb, centreId: string, options: NeighborhoodQuery): Promise<SubgraphModel> {
  const fact = factRelationship('r', options.facts.types);
  const shown = filterPredicate(options.facts, 'a', 'r', 'b');
  const factParams = filterParams(options.facts);
  const bounds = { hubFacts: int(NEIGHBORHOOD_EXPANSION.hubFacts), perEntity: int(NEIGHBORHOOD_EXPANSION.perEntity), centre: centreId };
  const reached = [centreId];
  let frontier = [centreId];
  let truncated = false;
  for (let level = 1; level <= options.depth && frontier.length > 0; level += 1) {
    const rows = await db.read<{ kept: string[]; more: boolean }>(
      `UNWIND $frontier AS frontierId
       MATCH (a:Entity {id: frontierId})
       WITH a, COUNT { (a)--() } > $hubFacts AND a.id <> $centre AS hub
       CALL (a, hub) {
         WITH a WHERE NOT hub
         MATCH (a)-[${fact}]-(b:Entity)
         WHERE NOT b.id IN $reached AND ($kinds IS NULL OR b.kind IN $kinds) AND ${shown}
         WITH b, ${KEEP_FIRST.rank} AS rank, ${KEEP_FIRST.latest} AS latest
         ORDER BY rank, latest DESC, b.id
         WITH b, collect([rank, latest])[0] AS best
         ORDER BY best[0], best[1] DESC, b.id
         RETURN collect(b.id) AS around
       }
       RETURN around[..$perEntity] AS kept, hub OR size(around) > $perEntity AS more`,
      { frontier, reached, kinds: options.kinds, ...bounds, ...factParams },
    );
    const next: string[] = [];
    for (const row of rows) {
      if (row.more) truncated = true;
      for (const id of row.kept) if (!next.includes(id)) next.push(id);
    }
    const room = options.limit - reached.length;
    if (next.length > room) truncated = true;
    frontier = next.slice(0, room);
    reached.push(...frontier);
  }
  const [row] = await db.read<{ nodes: Props[]; relations: Props[] }>(
    `MATCH (e:Entity) WHERE e.id IN $ids
     WITH collect(${entityProjection('e', db.projection)}) AS nodes
     RETURN nodes, COLLECT {
       MATCH (a:Entity) WHERE a.id IN $ids AND (a.id = $centre OR COUNT { (a)--() } <= $hubFacts)
       MATCH (a)-[${fact}]-(b:Entity)
       WHERE b.id IN $ids AND ${shown}
       WITH DISTINCT r
       RETURN ${relationProjection('r', db.projection)} ORDER BY r.id
     } AS relations`,
    { ids: reached, ...bounds, ...factParams },
  );
  if (!row || row.nodes.length === 0) return { nodes: [], relations: [], truncated: false };
  const order = new Map(reached.map((id, i) => [id, i]));
  const nodes = row.nodes.map(entityFromProps).sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  return { nodes, relations: row.relations.map(relationFromProps), truncated };
}
