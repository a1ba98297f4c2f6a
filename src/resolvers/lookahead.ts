/**
 * Look-ahead: what a query selects below the field being resolved, turned into an `EntityFetch` (see
 * src/data/entityTree.ts) so that a resolver producing entities can fetch their selected relation-backed
 * fields in the same statement.
 */
import type { FieldNode, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { isObjectType } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { EntityKind } from '../generated/graphql';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import { ENTITY_ALONE, pageId, type EntityFetch, type PageFetch } from '../data/entityTree';
import { RELATION_BACKED_FIELDS, type RelationBackedField } from './relationFields';

/**
 * How many levels of pages one statement reads. Deeper selections still work: the resolvers at that
 * level load (and look ahead) on their own, batched.
 */
const MAX_LOOKAHEAD_DEPTH = 3;

/**
 * How many pages one statement reads at most. A query with hundreds of aliased pages would otherwise
 * become one statement that takes Neo4j seconds to plan; past the budget, pages load on their own.
 */
export const MAX_PAGES_PER_STATEMENT = 24;

/**
 * How many items the nested pages below one entity may multiply into (the product of their limits). A
 * statement repeats an entity wherever it appears, where loaders fetch each once, so pages of 200 facts
 * three levels deep would be millions of maps in one result; past the budget, pages load on their own.
 */
export const MAX_ROWS_PER_ENTITY = 10_000;

const ENTITY_KINDS = Object.keys(TYPE_NAME_BY_KIND) as EntityKind[];

/**
 * Keeps the first `budget.pages` pages, depth first, whose items (times `rows`, the items above them) stay
 * within MAX_ROWS_PER_ENTITY, and drops the rest: their fields load on their own.
 */
function withinBudget(fetch: EntityFetch, budget: { pages: number }, rows = 1): EntityFetch {
  const pages: PageFetch[] = [];
  for (const page of fetch.pages) {
    const pageRows = rows * page.key.page.limit;
    if (budget.pages <= 0 || pageRows > MAX_ROWS_PER_ENTITY) continue;
    budget.pages -= 1;
    pages.push(page.ends ? { ...page, ends: withinBudget(page.ends, budget, pageRows) } : page);
  }
  return { pages };
}

/** The selections below `path` (field names, any alias) in the given selections. */
function below(trees: readonly ResolveTree[], path: readonly string[]): ResolveTree[] {
  let current = [...trees];
  for (const name of path) {
    current = current.flatMap((tree) =>
      Object.values(tree.fieldsByTypeName).flatMap((fields) => Object.values(fields).filter((field) => field.name === name)),
    );
  }
  return current;
}

/** The fields selected on an entity of this type: on the type itself and on the interfaces it implements. */
function fieldsOn(tree: ResolveTree, schema: GraphQLSchema, typeName: string): ResolveTree[] {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) return [];
  return [typeName, ...type.getInterfaces().map((i) => i.name)].flatMap((name) => Object.values(tree.fieldsByTypeName[name] ?? {}));
}

function mergeFetches(a: EntityFetch | null, b: EntityFetch | null): EntityFetch | null {
  if (a === null || b === null) return a ?? b;
  return { pages: mergePages([...a.pages, ...b.pages]) };
}

/** One fetch per distinct page: the same page asked by several types or aliases is read once. */
function mergePages(pages: PageFetch[]): PageFetch[] {
  const merged = new Map<string, PageFetch>();
  for (const page of pages) {
    const id = pageId(page);
    const seen = merged.get(id);
    if (!seen) {
      merged.set(id, page);
      continue;
    }
    const kinds = seen.kinds === null || page.kinds === null ? null : [...new Set([...seen.kinds, ...page.kinds])];
    merged.set(id, {
      ...seen,
      kinds: kinds !== null && kinds.length === ENTITY_KINDS.length ? null : kinds,
      count: seen.count || page.count,
      ends: mergeFetches(seen.ends, page.ends),
    });
  }
  return [...merged.values()];
}

/** What a relation-backed field selected as `selected` needs fetched, or null when its arguments are bad. */
function pageFetchOf(
  field: RelationBackedField,
  selected: ResolveTree,
  kinds: EntityKind[] | null,
  schema: GraphQLSchema,
  depth: number,
): PageFetch | null {
  let key;
  try {
    key = field.key(selected.args);
  } catch {
    // Bad arguments: the field's own resolver reports them, at the field's path.
    return null;
  }
  const endSelections = field.ends.flatMap((path) => below([selected], path));
  const ends = field.mode === 'neighbors' || endSelections.length > 0 ? entityFetchOf(endSelections, schema, depth + 1) : null;
  return { mode: field.mode, key, kinds, count: field.totalCount !== null && below([selected], field.totalCount).length > 0, ends };
}

/** What to fetch with entities on which `selections` are made, `depth` levels of pages down. */
function entityFetchOf(selections: readonly ResolveTree[], schema: GraphQLSchema, depth: number): EntityFetch {
  if (selections.length === 0 || depth >= MAX_LOOKAHEAD_DEPTH) return ENTITY_ALONE;
  const pages: PageFetch[] = [];
  for (const kind of ENTITY_KINDS) {
    const typeName = TYPE_NAME_BY_KIND[kind];
    const fields = RELATION_BACKED_FIELDS[typeName] ?? {};
    for (const selected of selections.flatMap((tree) => fieldsOn(tree, schema, typeName))) {
      const field = fields[selected.name];
      const page = field && pageFetchOf(field, selected, [kind], schema, depth);
      if (page) pages.push(page);
    }
  }
  return { pages: mergePages(pages) };
}

/**
 * What was read ahead, shared across requests: the same operation (Apollo hands repeated requests the
 * same parsed document) with the same variables selects the same things at the same place. A place is
 * its response path with the runtime type of every level, since fragments on types decide what is
 * selected below. Keys carry the variables, so requests with large variables are not shared, and all
 * entries are dropped past a total: memory stays bounded (about 5,000 × 4 KB of keys) whatever clients send.
 */
let shared = new WeakMap<OperationDefinitionNode, Map<string, unknown>>();
let sharedEntries = 0;
const MAX_SHARED_ENTRIES = 5_000;
const MAX_SHARED_VARIABLES_LENGTH = 4_096;

function placeOf(info: GraphQLResolveInfo): string {
  const parts: string[] = [];
  for (let path: GraphQLResolveInfo['path'] | undefined = info.path; path; path = path.prev) {
    if (typeof path.key === 'string') parts.push(`${path.typename ?? ''}.${path.key}`);
  }
  return parts.join('<');
}

/**
 * Reads the selection below a field once per request (list items share their field nodes, so the 200
 * items of a list cost one look, not 200), and once per operation and variables across requests.
 */
export class Lookahead {
  /**
   * `enabled: false` fetches every field on its own and reads whole nodes (no projection, see
   * src/resolvers/selectedProperties.ts), as if nothing were looked ahead: tests compare the two.
   */
  constructor(private readonly options: { enabled: boolean } = { enabled: true }) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  private readonly trees = new WeakMap<readonly FieldNode[], ResolveTree>();
  private readonly fetches = new WeakMap<readonly FieldNode[], Map<string, unknown>>();

  private tree(info: GraphQLResolveInfo): ResolveTree {
    let tree = this.trees.get(info.fieldNodes);
    if (!tree) {
      tree = parseResolveInfo(info) as ResolveTree;
      this.trees.set(info.fieldNodes, tree);
    }
    return tree;
  }

  private variables: string | undefined;

  private memo<T>(info: GraphQLResolveInfo, name: string, compute: () => T): T {
    let byName = this.fetches.get(info.fieldNodes);
    if (!byName) {
      byName = new Map();
      this.fetches.set(info.fieldNodes, byName);
    }
    if (!byName.has(name)) byName.set(name, this.shared(info, name, compute));
    return byName.get(name) as T;
  }

  private shared<T>(info: GraphQLResolveInfo, name: string, compute: () => T): T {
    this.variables ??= JSON.stringify(info.variableValues);
    if (this.variables.length > MAX_SHARED_VARIABLES_LENGTH) return compute();
    if (sharedEntries >= MAX_SHARED_ENTRIES) {
      shared = new WeakMap();
      sharedEntries = 0;
    }
    let known = shared.get(info.operation);
    if (!known) {
      known = new Map();
      shared.set(info.operation, known);
    }
    const key = `${name}|${placeOf(info)}|${this.variables}`;
    if (known.has(key)) return known.get(key) as T;
    const value = compute();
    known.set(key, value);
    sharedEntries += 1;
    return value;
  }

  /** What to fetch with the entities this field returns, itself or at `path` below it (e.g. `edges.node`). */
  entities(info: GraphQLResolveInfo, path: readonly string[] = []): EntityFetch {
    if (!this.options.enabled) return ENTITY_ALONE;
    return this.memo(info, `entities:${path.join('.')}`, () =>
      withinBudget(entityFetchOf(below([this.tree(info)], path), info.schema, 0), { pages: MAX_PAGES_PER_STATEMENT }),
    );
  }

  /** Whether the query selects `path` below this field, e.g. `totalCount`. */
  selects(info: GraphQLResolveInfo, path: readonly string[]): boolean {
    if (!this.options.enabled) return false;
    return this.memo(info, `selects:${path.join('.')}`, () => below([this.tree(info)], path).length > 0);
  }

  /** How a relation-backed field fetches its own page, with what its far ends need, when no parent did. */
  page(info: GraphQLResolveInfo, field: RelationBackedField, args: Record<string, unknown>): PageFetch {
    const fetch = this.options.enabled
      ? this.memo(info, 'page', () => {
          const page = pageFetchOf(field, this.tree(info), null, info.schema, 0);
          return page?.ends
            ? { ...page, ends: withinBudget(page.ends, { pages: MAX_PAGES_PER_STATEMENT - 1 }, page.key.page.limit) }
            : page;
        })
      : null;
    // Null only for bad arguments; computing the key again raises the error for the resolver to report.
    return fetch ?? { mode: field.mode, key: field.key(args), kinds: null, count: false, ends: null };
  }
}
