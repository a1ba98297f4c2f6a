import { int } from 'neo4j-driver';
import type { EntityOrder, EventOrder } from '../generated/graphql';
import { periodEndOf, periodStartOf } from '../models/dates';
import type { DocumentModel } from '../models/document';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import type { EntityListQuery, Keyset } from '../models/queries';
import type { RequestDb } from '../db/neo4jClient';
import { documentFromProps } from './documents';
import { factRelationship, RELATION_TYPES, type EntityReturn, type Props } from './graph';
import { periodEnd, periodStart } from './validTime';

/** Sort keys as Cypher; DEGREE is negated so that every order is ascending and keysets compare alike. */
const SORT_KEYS: Record<EntityOrder | EventOrder, string> = {
  NAME: 'e.name',
  ID: 'e.id',
  DEGREE: '-COUNT { (e)--() }',
  DATE: `coalesce(${periodStart('e.startDate')}, '9999')`,
};

/** The orders an index holds: `entity_name` and the `entity_id` constraint, both on :Entity. */
const INDEXED_SORT_KEYS: Partial<Record<EntityOrder | EventOrder, string>> = { NAME: 'e.name', ID: 'e.id' };

/**
 * The MATCH and WHERE shared by a page and its count. A single kind matches on its label (from the
 * allow-list) so Neo4j reads only that label; a related entity anchors the match on that entity.
 *
 * A page sorted by name or id also matches on :Entity with the sort key IS NOT NULL (always true: every
 * entity has both), so Neo4j can walk the :Entity index in order and stop after the page instead of
 * sorting the whole label; a count keeps the one label, which Neo4j answers from its count store when
 * nothing else narrows it (at 36,000 people: 359 instead of 72,115 db hits, and 1 instead of 35,937).
 */
function listClauses(query: EntityListQuery, purpose: 'page' | 'count'): { cypher: string; params: Record<string, unknown> } {
  const label = query.kinds?.length === 1 ? TYPE_NAME_BY_KIND[query.kinds[0]!] : 'Entity';
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  const indexedKey = purpose === 'page' && query.relatedTo === null ? INDEXED_SORT_KEYS[query.order] : undefined;
  let match = indexedKey && label !== 'Entity' ? `MATCH (e:Entity:${label})` : `MATCH (e:${label})`;
  if (indexedKey) conditions.push(`${indexedKey} IS NOT NULL`);
  if (query.kinds && query.kinds.length > 1) {
    conditions.push('e.kind IN $kinds');
    params.kinds = query.kinds;
  }
  // Relationship types are spliced into the pattern (from the allow-list), so Neo4j expands only those.
  if (query.relatedTo !== null) {
    match = `MATCH (:Entity {id: $relatedTo})-[${factRelationship('r', query.relationTypes ?? RELATION_TYPES)}]-(e:${label})`;
    params.relatedTo = query.relatedTo;
  } else if (query.relationTypes !== null) {
    conditions.push(`EXISTS { MATCH (e)-[${factRelationship('r', query.relationTypes)}]-(:Entity) }`);
  }
  if (query.nameContains) {
    conditions.push('(toLower(e.name) CONTAINS $nameContains OR any(alias IN e.aliases WHERE toLower(alias) CONTAINS $nameContains))');
    params.nameContains = query.nameContains.toLowerCase();
  }
  if (query.from !== null || query.to !== null) {
    // An event without an end date counts as lasting its start period only.
    conditions.push('e.startDate IS NOT NULL');
    if (query.to !== null) {
      conditions.push(`${periodStart('e.startDate')} <= $toEnd`);
      params.toEnd = periodEndOf(query.to);
    }
    if (query.from !== null) {
      conditions.push(`${periodEnd('coalesce(e.endDate, e.startDate)')} >= $fromStart`);
      params.fromStart = periodStartOf(query.from);
    }
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  // A related entity may be linked by several facts; each entity must still count once. Without one,
  // each entity is matched once already (and DISTINCT would keep Neo4j from using its count store).
  return { cypher: `${match} ${where} ${query.relatedTo !== null ? 'WITH DISTINCT e' : 'WITH e'}`, params };
}

export interface EntityListRows {
  /** The page, plus one more item when another page follows; each with the key it is sorted by. */
  rows: { e: Props; sortKey: string | number }[];
  /** Every match across all pages, when asked for; null otherwise. */
  total: number | null;
}

/**
 * One page after `after`, plus one more item to tell whether another page follows, in one statement with
 * the total (when `count`); each entity is returned as `entity` says (the planner's look-ahead map).
 */
export async function listEntities(
  db: RequestDb,
  query: EntityListQuery,
  page: { limit: number; after: Keyset | null },
  entity: EntityReturn,
  count: boolean,
): Promise<EntityListRows> {
  const { cypher, params } = listClauses(query, 'page');
  const counted = count ? listClauses(query, 'count') : null;
  const [row] = await db.read<{ page: { e: Props; sortKey: string | number }[]; total: number | null }>(
    `${counted ? `CALL { ${counted.cypher} RETURN count(e) AS total }` : 'WITH null AS total'}
     CALL {
       ${cypher}
       WITH e, ${SORT_KEYS[query.order]} AS sortKey
       WHERE $afterId IS NULL OR sortKey > $afterKey OR (sortKey = $afterKey AND e.id > $afterId)
       WITH e, sortKey ORDER BY sortKey, e.id LIMIT $limit
       RETURN collect({e: ${entity.cypher}, sortKey: sortKey}) AS page
     }
     RETURN page, total`,
    { ...entity.params, ...params, afterKey: page.after?.sortKey ?? null, afterId: page.after?.id ?? null, limit: int(page.limit) },
  );
  return { rows: row?.page ?? [], total: row?.total ?? null };
}

export async function countEntities(db: RequestDb, query: EntityListQuery): Promise<number> {
  const { cypher, params } = listClauses(query, 'count');
  const [row] = await db.read<{ total: number }>(`${cypher} RETURN count(e) AS total`, params);
  return row?.total ?? 0;
}

export async function listDocuments(db: RequestDb, titleContains: string | null, limit: number, after: Keyset | null): Promise<DocumentModel[]> {
  const rows = await db.read<{ d: Props }>(
    `MATCH (d:Document)
     WHERE ($titleContains IS NULL OR toLower(d.title) CONTAINS $titleContains)
       AND ($afterId IS NULL OR d.title > $afterKey OR (d.title = $afterKey AND d.id > $afterId))
     RETURN d {.*} AS d ORDER BY d.title, d.id LIMIT $limit`,
    { titleContains: titleContains?.toLowerCase() ?? null, afterKey: after?.sortKey ?? null, afterId: after?.id ?? null, limit: int(limit) },
  );
  return rows.map((row) => documentFromProps(row.d));
}

export async function countDocuments(db: RequestDb, titleContains: string | null): Promise<number> {
  const [row] = await db.read<{ total: number }>(
    'MATCH (d:Document) WHERE $titleContains IS NULL OR toLower(d.title) CONTAINS $titleContains RETURN count(d) AS total',
    { titleContains: titleContains?.toLowerCase() ?? null },
  );
  return row?.total ?? 0;
}
