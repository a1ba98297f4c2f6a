/**
 * Reading a request's selection, through the field catalogue (src/planner/catalogue.ts):
 *
 * - look-ahead: what the query selects below the field being resolved, as an `EntityFetch`, so that a
 *   resolver producing entities fetches their selected relation-backed fields in the same statement;
 * - projection: which stored properties the whole operation can read, so every statement of the request
 *   reads only those.
 */
import type { FieldNode, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode, DocumentNode, GraphQLNamedType } from 'graphql';
import { isInterfaceType, isObjectType, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import type { EntityKind } from '../generated/graphql';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import { ENTITY_ALONE, type EntityFetch, type PageFetch, type Projection } from '../models/plan';
import type { RequestDb } from '../db/neo4jClient';
import { LOOKAHEAD } from '../limits';
import { ENTITY_FIELDS, FACT_FIELDS, pageFieldsOf, pageId, type FieldReads, type RelationBackedField } from './catalogue';

const ENTITY_KINDS = Object.keys(TYPE_NAME_BY_KIND) as EntityKind[];

/**
 * Keeps the first `budget.pages` pages, depth first, whose items (times `rows`, the items above them) stay
 * within LOOKAHEAD.rowsPerEntity, and drops the rest: their fields load on their own.
 */
function withinBudget(fetch: EntityFetch, budget: { pages: number }, rows = 1): EntityFetch {
  const pages: PageFetch[] = [];
  for (const page of fetch.pages) {
    const pageRows = rows * page.key.page.limit;
    if (budget.pages <= 0 || pageRows > LOOKAHEAD.rowsPerEntity) continue;
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
  if (selections.length === 0 || depth >= LOOKAHEAD.depth) return ENTITY_ALONE;
  const pages: PageFetch[] = [];
  for (const kind of ENTITY_KINDS) {
    const typeName = TYPE_NAME_BY_KIND[kind];
    const fields = pageFieldsOf(typeName);
    for (const selected of selections.flatMap((tree) => fieldsOn(tree, schema, typeName))) {
      const field = fields[selected.name];
      const page = field && pageFetchOf(field, selected, [kind], schema, depth);
      if (page) pages.push(page);
    }
  }
  return { pages: mergePages(pages) };
}

/**
 * Plans shared across requests, for one server: the same operation (Apollo hands repeated requests the
 * same parsed document) with the same variables selects the same things at the same place. A place is
 * its response path with the runtime type of every level, since fragments on types decide what is
 * selected below. Keys carry the variables, so requests with large variables are not shared, and all
 * entries are dropped past a total: memory stays bounded whatever clients send.
 */
export class PlanCache {
  private byOperation = new WeakMap<OperationDefinitionNode, Map<string, unknown>>();
  private entries = 0;

  /** Plans held now. */
  get size(): number {
    return this.entries;
  }

  get<T>(operation: OperationDefinitionNode, key: string, compute: () => T): T {
    if (this.entries >= LOOKAHEAD.sharedPlans) {
      this.byOperation = new WeakMap();
      this.entries = 0;
    }
    let known = this.byOperation.get(operation);
    if (!known) {
      known = new Map();
      this.byOperation.set(operation, known);
    }
    if (known.has(key)) return known.get(key) as T;
    const value = compute();
    known.set(key, value);
    this.entries += 1;
    return value;
  }
}

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
   * `enabled: false` fetches every field on its own and reads whole nodes (no projection), as if nothing
   * were looked ahead: tests compare the two.
   */
  constructor(private readonly options: { enabled: boolean; plans: PlanCache | null }) {}

  get enabled(): boolean {
    return this.options.enabled;
  }

  private readonly trees = new WeakMap<readonly FieldNode[], ResolveTree>();
  private readonly fetches = new WeakMap<readonly FieldNode[], Map<string, unknown>>();
  private variables: string | undefined;

  private tree(info: GraphQLResolveInfo): ResolveTree {
    let tree = this.trees.get(info.fieldNodes);
    if (!tree) {
      tree = parseResolveInfo(info) as ResolveTree;
      this.trees.set(info.fieldNodes, tree);
    }
    return tree;
  }

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
    const plans = this.options.plans;
    this.variables ??= JSON.stringify(info.variableValues);
    if (!plans || this.variables.length > LOOKAHEAD.sharedVariablesLength) return compute();
    return plans.get(info.operation, `${name}|${placeOf(info)}|${this.variables}`, compute);
  }

  /** What to fetch with the entities this field returns, itself or at `path` below it (e.g. `edges.node`). */
  entities(info: GraphQLResolveInfo, path: readonly string[] = []): EntityFetch {
    if (!this.options.enabled) return ENTITY_ALONE;
    return this.memo(info, `entities:${path.join('.')}`, () =>
      withinBudget(entityFetchOf(below([this.tree(info)], path), info.schema, 0), { pages: LOOKAHEAD.pagesPerStatement }),
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
            ? { ...page, ends: withinBudget(page.ends, { pages: LOOKAHEAD.pagesPerStatement - 1 }, page.key.page.limit) }
            : page;
        })
      : null;
    // Null only for bad arguments; computing the key again raises the error for the resolver to report.
    return fetch ?? { mode: field.mode, key: field.key(args), kinds: null, count: false, ends: null };
  }
}

function isEntityType(type: GraphQLNamedType): boolean {
  if (type.name === 'Entity' && isInterfaceType(type)) return true;
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Entity');
}

/** Adds what `field` reads to `into`; false when the field is not catalogued (read everything). */
function addProperties(into: Set<string>, fields: Readonly<Record<string, FieldReads>> | undefined, field: string): boolean {
  const reads = fields?.[field];
  if (reads === undefined) return false;
  if ('properties' in reads) reads.properties.forEach((property) => into.add(property));
  return true;
}

/** The projection for every operation in a document (a union, so any operation of it is covered). */
export function projectionOf(schema: GraphQLSchema, document: DocumentNode): Projection {
  const entity = new Set<string>();
  const relation = new Set<string>();
  let allEntity = false;
  let allRelation = false;
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent) return;
        const name = node.name.value;
        if (isEntityType(parent)) {
          if (!addProperties(entity, ENTITY_FIELDS[parent.name], name)) allEntity = true;
        } else if (parent.name in FACT_FIELDS && !addProperties(relation, FACT_FIELDS[parent.name], name)) {
          allRelation = true;
        }
      },
    }),
  );
  return { entity: allEntity ? null : [...entity].sort(), relation: allRelation ? null : [...relation].sort() };
}

/** What the projection plugin needs of a request's context. */
export interface PlannedRequest extends BaseContext {
  db: RequestDb;
  lookahead: Lookahead;
}

/**
 * Sets each request's projection once its operation is known. Apollo keeps parsed documents in a cache
 * and hands the same object to repeated requests, so a document is analysed once.
 */
export function projectionPlugin<C extends PlannedRequest>(): ApolloServerPlugin<C> {
  const known = new WeakMap<DocumentNode, Projection>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, schema, contextValue }) {
          if (!contextValue.lookahead.enabled) return;
          let projection = known.get(document);
          if (!projection) {
            projection = projectionOf(schema, document);
            known.set(document, projection);
          }
          contextValue.db.projection = projection;
        },
      };
    },
  };
}
