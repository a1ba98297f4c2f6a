/**
 * Reading back what a planned statement (src/planner/cypher.ts) returned: entity maps with their pages,
 * turned into models and primed into the request's loaders. The field resolvers then run as usual and
 * find their answers there (or on the entity itself, see `prefetched`); a field nobody planned for still
 * loads on its own, batched, so look-ahead only ever saves round trips and never changes an answer.
 */
import type { EntityModel, PrefetchedPage } from '../models/entity';
import { ENTITY_ALONE, type EntityFetch, type PageFetch, type PageMode } from '../models/plan';
import type { RelationFilter } from '../models/queries';
import type { RelationModel } from '../models/relation';
import { entityFromProps, relationFromProps, type Props } from '../data/records';
import { PAGES, TOTALS } from './cypher';

/** Where fetched pages go: the request's loaders (src/planner/load.ts). */
export interface TreePrimer {
  entity(entity: EntityModel): void;
  relationPage(entityId: string, fetch: PageFetch, page: RelationModel[]): void;
  neighborPage(entityId: string, fetch: PageFetch, page: EntityModel[]): void;
  count(entityId: string, mode: PageMode, filter: RelationFilter, total: number): void;
}

/**
 * Plan objects are plain data that is never changed once made (plans are shared across requests), so
 * each object's JSON is worked out once rather than on every lookup.
 */
const jsonByObject = new WeakMap<object, string>();
export function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let json = jsonByObject.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    jsonByObject.set(value, json);
  }
  return json;
}

/** How a fetched page is found again on its entity: its mode and key. */
export const pageId = (fetch: PageFetch): string => `${fetch.mode} ${jsonOf(fetch.key)}`;

type PageItems = RelationModel[] | EntityModel[];

/** Reads one entity map, priming every page in it; returns the entity and its pages. */
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

/** Reads an entity map, priming the loaders with it and everything fetched with it. */
export function readEntityTree(props: Props, fetch: EntityFetch, primer: TreePrimer): EntityModel {
  return readEntity(props, fetch, primer).entity;
}

/** Reads the rows of `pagesByIdsStatement`: the one page of each entity, aligned with `ids` (empty where none exists). */
export function readPages<T extends PageItems>(rows: { e: Props }[], ids: readonly string[], fetch: PageFetch, primer: TreePrimer): T[] {
  const tree: EntityFetch = { pages: [fetch] };
  const byId = new Map(rows.map((row) => [row.e.id as string, readEntity(row.e, tree, primer).pages[0] ?? []]));
  return ids.map((id) => (byId.get(id) ?? []) as T);
}
