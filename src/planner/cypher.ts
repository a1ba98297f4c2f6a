/**
 * The Cypher for entities fetched together with the relation-backed fields a query selects on them.
 *
 * A field such as `relations`, `participants` or `Region.control` reads a page of an entity's facts.
 * Fetched field by field, a dashboard query costs a statement per level: the entity, its facts, the
 * entities at their far ends, their facts... (see bench/README.md). Instead, the resolver that produces
 * entities plans what the query selects on them (src/planner/selection.ts) as an `EntityFetch`, and this
 * module writes it as one statement with a `COLLECT {}` subquery per page. src/planner/load.ts reads the
 * rows back into the request's loaders.
 *
 * Each entity comes back as a map of its projected properties, with its pages under `_pages` and their
 * totals under `_totals`, in the order of `fetch.pages`.
 */
import { int } from 'neo4j-driver';
import { ENTITY_ALONE, type EntityFetch, type PageFetch, type Projection } from '../models/plan';
import { countOf, factMatch, filterParams, entityProjection, relationProjection, type EntityReturn, type Props } from '../data/graph';
import { ENTITIES_BY_REQUESTED_ID } from '../data/entities';

export const PAGES = '_pages';
export const TOTALS = '_totals';

/** A statement being written: the request's projection, and the parameters of each page, numbered so that pages never share a name. */
class Statement {
  readonly params: Props = {};
  private next = 0;

  constructor(readonly projection: Projection) {}

  /** Adds one page's parameters and returns the prefix their names carry. */
  add(params: (prefix: string) => Props): string {
    const prefix = `p${this.next++}_`;
    Object.assign(this.params, params(prefix));
    return prefix;
  }
}

function pageParams(fetch: PageFetch) {
  return (prefix: string) => ({
    ...filterParams(fetch.key.filter, prefix),
    [`${prefix}limit`]: int(fetch.key.page.limit),
    [`${prefix}afterKey`]: fetch.key.page.afterKey,
    [`${prefix}kinds`]: fetch.kinds,
  });
}

/** A page only for entities of the kinds that have the field: null for the others. */
const forKinds = (fetch: PageFetch, anchor: string, prefix: string, expression: string) =>
  fetch.kinds === null ? expression : `CASE WHEN ${anchor}.kind IN $${prefix}kinds THEN ${expression} END`;

/** Cypher for one page of the entity bound to `anchor`; variables are numbered by depth so nested pages never clash. */
function pageExpression(anchor: string, fetch: PageFetch, statement: Statement, depth: number): { page: string; total: string } {
  const prefix = statement.add(pageParams(fetch));
  const [r, other] = [`r${depth}`, `o${depth}`];
  const match = factMatch(anchor, r, other, fetch.key.filter, prefix);
  let page: string;
  if (fetch.mode === 'relations') {
    const end = fetch.ends ? `, end: ${entityMap(other, fetch.ends, statement, depth + 1)}` : '';
    page = `COLLECT { ${match} AND ($${prefix}afterKey IS NULL OR ${r}.id > $${prefix}afterKey)
      WITH ${r}, ${other} ORDER BY ${r}.id LIMIT $${prefix}limit
      RETURN ${relationProjection(r, statement.projection, end)} }`;
  } else {
    page = `COLLECT { ${match} AND ($${prefix}afterKey IS NULL OR ${other}.id > $${prefix}afterKey)
      WITH DISTINCT ${other} ORDER BY ${other}.id LIMIT $${prefix}limit
      RETURN ${entityMap(other, fetch.ends ?? ENTITY_ALONE, statement, depth + 1)} }`;
  }
  const total = fetch.count ? forKinds(fetch, anchor, prefix, countOf(fetch.mode, match, other)) : 'null';
  return { page: forKinds(fetch, anchor, prefix, page), total };
}

/** Cypher: the entity bound to `variable` as a map, with the pages `fetch` asks for under `_pages` and `_totals`. */
function entityMap(variable: string, fetch: EntityFetch, statement: Statement, depth = 0): string {
  if (fetch.pages.length === 0) return entityProjection(variable, statement.projection);
  const pages = fetch.pages.map((page) => pageExpression(variable, page, statement, depth));
  const extra = `, ${PAGES}: [${pages.map((p) => p.page).join(', ')}], ${TOTALS}: [${pages.map((p) => p.total).join(', ')}]`;
  return entityProjection(variable, statement.projection, extra);
}

export interface CypherStatement {
  cypher: string;
  params: Props;
}

/**
 * Statements written, by plan and projection: a dashboard repeats its operations, and the look-ahead shares
 * their plans across requests (src/planner/selection.ts), so each is written once, not per request.
 * Callers copy `params` and never change it.
 */
const written = new WeakMap<EntityFetch, WeakMap<Projection, EntityReturn>>();

/** How a statement that matches entities as `e` returns each one with what `fetch` asks for. */
export function entityReturn(fetch: EntityFetch, projection: Projection): EntityReturn {
  const byProjection = written.get(fetch) ?? new WeakMap<Projection, EntityReturn>();
  written.set(fetch, byProjection);
  let entity = byProjection.get(projection);
  if (!entity) {
    const statement = new Statement(projection);
    entity = { cypher: entityMap('e', fetch, statement), params: statement.params };
    byProjection.set(projection, entity);
  }
  return entity;
}

/** Entities by id (following redirects), each as an entity map (row key `e`, with the id asked as `requested`) with what `fetch` asks for. */
export function entitiesByIdsStatement(ids: readonly string[], fetch: EntityFetch, projection: Projection): CypherStatement {
  const e = entityReturn(fetch, projection);
  return { cypher: `${ENTITIES_BY_REQUESTED_ID} RETURN requested, ${e.cypher} AS e`, params: { ...e.params, ids: [...ids] } };
}

/** One page for each of the given entities: each entity as a map (row key `e`) holding that one page. */
export function pagesByIdsStatement(ids: readonly string[], fetch: PageFetch, projection: Projection): CypherStatement {
  const e = entityReturn({ pages: [fetch] }, projection);
  return {
    cypher: `UNWIND $ids AS entityId MATCH (e:Entity {id: entityId}) RETURN ${e.cypher} AS e`,
    params: { ...e.params, ids: [...ids] },
  };
}
