/**
 * Entities fetched together with the relation-backed fields a query selects on them, in one statement.
 *
 * A field such as `relations`, `participants` or `Region.control` reads a page of an entity's facts. Fetched
 * field by field, a dashboard query costs a statement per level: the entity, its facts, the entities at
 * their far ends, their facts... (see bench/README.md). Instead, the resolver that produces entities looks
 * ahead at what the query selects on them (src/resolvers/lookahead.ts) and hands this module an
 * `EntityFetch`: which pages to read for each entity, and recursively what to read for the entities those
 * pages lead to. It becomes one Cypher statement with a `COLLECT {}` subquery per page, and what comes back
 * is primed into the request's DataLoaders. The field resolvers then run as usual and find their answers
 * in the loaders' caches; a field nobody planned for still loads on its own, batched, so look-ahead only
 * ever saves round trips and never changes an answer.
 */
import { int } from 'neo4j-driver';
import type { EntityKind } from '../generated/graphql';
import type { EntityModel, PrefetchedPage } from '../models/entity';
import type { RelationModel } from '../models/relation';
import type { RequestDb } from './requestDb';
import { entityFromProps } from './entities';
import { factPattern, filterParams, filterPredicate, relationFromProps, type RelationFilter } from './relations';
import { entityProjection, relationProjection, type Projection } from './projection';
import type { Props } from './records';
import { jsonOf } from './groupedLoader';

export interface Page {
  limit: number;
  /** Continue after this key (a relation id, or a neighbour's id); null for the first page. */
  afterKey: string | null;
}

/** Which page of which facts a field reads. With the entity's id, it is the loaders' cache key. */
export interface PageKey {
  filter: RelationFilter;
  page: Page;
}

/** `relations`: the facts themselves, each with the entity at its far end. `neighbors`: the distinct far-end entities. */
export type PageMode = 'relations' | 'neighbors';

export interface PageFetch {
  mode: PageMode;
  key: PageKey;
  /** Read the page only for entities of these kinds (the types that have the field); null for every kind. */
  kinds: EntityKind[] | null;
  /** Also count every match, for a selected `totalCount`. */
  count: boolean;
  /**
   * What to read for each entity at the far end. In `relations` mode, null means the far ends are not
   * selected and are not read at all.
   */
  ends: EntityFetch | null;
}

export interface EntityFetch {
  pages: PageFetch[];
}

export const ENTITY_ALONE: EntityFetch = { pages: [] };

/** Where fetched pages go: the request's loaders (src/context.ts). */
export interface TreePrimer {
  entity(entity: EntityModel): void;
  relationPage(entityId: string, fetch: PageFetch, page: RelationModel[]): void;
  neighborPage(entityId: string, fetch: PageFetch, page: EntityModel[]): void;
  count(entityId: string, mode: PageMode, filter: RelationFilter, total: number): void;
}

/** How a fetched page is found again on its entity: its mode and key. */
export const pageId = (fetch: PageFetch): string => `${fetch.mode} ${jsonOf(fetch.key)}`;

const PAGES = '_pages';
const TOTALS = '_totals';

/** A statement being written: the request's projection, and the parameters of each page, numbered so that pages never share a name. */
class Statement {
  readonly values: Record<string, unknown> = {};
  private next = 0;

  constructor(readonly projection: Projection) {}

  /** Adds one page's values and returns the prefix their names carry. */
  add(values: (prefix: string) => Record<string, unknown>): string {
    const prefix = `p${this.next++}_`;
    Object.assign(this.values, values(prefix));
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

/** Cypher: `MATCH` and `WHERE` of the filter's facts from `anchor`, parameter names after `prefix`. */
const factMatch = (anchor: string, r: string, other: string, filter: RelationFilter, prefix = '') =>
  `MATCH ${factPattern(anchor, r, other, filter)} WHERE ${filterPredicate(filter, anchor, r, other, prefix)}`;

/** Cypher: how many facts the match finds, or how many distinct far-end entities. */
const countOf = (mode: PageMode, match: string, other: string) => (mode === 'relations' ? `COUNT { ${match} }` : `COUNT { ${match} RETURN DISTINCT ${other} }`);

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
export function entityMap(variable: string, fetch: EntityFetch, statement: Statement, depth = 0): string {
  if (fetch.pages.length === 0) return entityProjection(variable, statement.projection);
  const pages = fetch.pages.map((page) => pageExpression(variable, page, statement, depth));
  return entityProjection(variable, statement.projection, `, ${PAGES}: [${pages.map((p) => p.page).join(', ')}], ${TOTALS}: [${pages.map((p) => p.total).join(', ')}]`);
}

/** A statement that reads entity trees for this request: its projection, and room for page parameters. */
export function newStatement(db: RequestDb): Statement {
  return new Statement(db.projection);
}

type PageItems = RelationModel[] | EntityModel[];

/** Reads one entity map written by `entityMap`, priming every page in it; returns the entity and its pages. */
function readEntity(props: Props, fetch: EntityFetch, primer: TreePrimer): { entity: EntityModel; pages: (PageItems | null)[] } {
  const entity = entityFromProps(props);
  primer.entity(entity);
  const storedPages = (props[PAGES] ?? []) as (Props[] | null)[];
  const storedTotals = (props[TOTALS] ?? []) as (number | null)[];
  const pages = fetch.pages.map((page, i): PageItems | null => {
    const items = storedPages[i];
    // Null: the entity is not of a kind that has the field, so no resolver will ask.
    if (items === null || items === undefined) return null;
    const total = storedTotals[i];
    if (page.count && typeof total === 'number') primer.count(entity.id, page.mode, page.key.filter, total);
    if (page.mode === 'relations') {
      const relations = items.map((item) => {
        const relation = relationFromProps(item);
        if (page.ends && item.end) {
          const end = readEntity(item.end as Props, page.ends, primer).entity;
          relation.ends = relation.sourceId === entity.id ? { source: entity, target: end } : { source: end, target: entity };
        }
        return relation;
      });
      primer.relationPage(entity.id, page, relations);
      return relations;
    }
    const neighbors = items.map((item) => readEntity(item, page.ends ?? ENTITY_ALONE, primer).entity);
    primer.neighborPage(entity.id, page, neighbors);
    return neighbors;
  });
  if (fetch.pages.length > 0) {
    const prefetched = new Map<string, PrefetchedPage>();
    fetch.pages.forEach((page, i) => {
      const items = pages[i];
      if (items) prefetched.set(pageId(page), { items, total: page.count ? (storedTotals[i] ?? null) : null });
    });
    entity.prefetched = prefetched;
  }
  return { entity, pages };
}

/** Reads an entity map written by `entityMap`, priming the loaders with it and everything fetched with it. */
export function readEntityTree(props: Props, fetch: EntityFetch, primer: TreePrimer): EntityModel {
  return readEntity(props, fetch, primer).entity;
}

/** Entities by id, each with what `fetch` asks for, in one round trip; aligned with `ids`, null where none exists. */
export async function entityTreesByIds(db: RequestDb, ids: readonly string[], fetch: EntityFetch, primer: TreePrimer): Promise<(EntityModel | null)[]> {
  const statement = newStatement(db);
  const rows = await db.read<{ e: Props }>(`MATCH (e:Entity) WHERE e.id IN $ids RETURN ${entityMap('e', fetch, statement)} AS e`, { ...statement.values, ids: [...ids] });
  const byId = new Map(rows.map((row) => [row.e.id as string, readEntityTree(row.e, fetch, primer)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * One page for each of the given entities, in one round trip, with whatever the page's far ends need. An
 * entity that does not exist has an empty page.
 */
export async function pagesByIds<T extends PageItems>(db: RequestDb, ids: readonly string[], fetch: PageFetch, primer: TreePrimer): Promise<T[]> {
  const tree: EntityFetch = { pages: [fetch] };
  const statement = newStatement(db);
  const rows = await db.read<{ e: Props }>(
    `UNWIND $ids AS entityId MATCH (e:Entity {id: entityId}) RETURN ${entityMap('e', tree, statement)} AS e`,
    { ...statement.values, ids: [...ids] },
  );
  const byId = new Map(rows.map((row) => [row.e.id as string, readEntity(row.e, tree, primer).pages[0] ?? []]));
  return ids.map((id) => (byId.get(id) ?? []) as T);
}

/** How many facts (or distinct far-end entities) match the filter for each entity, in one round trip. */
export async function countsByIds(db: RequestDb, ids: readonly string[], mode: PageMode, filter: RelationFilter): Promise<number[]> {
  const rows = await db.read<{ entityId: string; total: number }>(
    `UNWIND $ids AS entityId
     MATCH (e:Entity {id: entityId})
     RETURN entityId, ${countOf(mode, factMatch('e', 'r', 'other', filter), 'other')} AS total`,
    { ids: [...ids], ...filterParams(filter) },
  );
  const byId = new Map(rows.map((row) => [row.entityId, row.total]));
  return ids.map((id) => byId.get(id) ?? 0);
}
