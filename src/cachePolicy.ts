/**
 * The cache policy of an operation (the `Cache-Control` header, and what the response cache may keep), worked
 * out from the schema's `@cacheControl` hints once per parsed operation, before it runs.
 *
 * Apollo's own cache-control plugin reaches the same figure by hooking every field as it resolves: a
 * wrapper around every resolver of the schema, a policy object and closures per field of the answer. On
 * the entity page (about 900 fields) that was the largest cost graphql execution added (bench/README.md).
 * No resolver here sets a dynamic hint, so the policy follows from the operation alone, with the same rules
 * (`ApolloServerPluginCacheControl`, `defaultMaxAge` 0):
 *
 * - a field's hint replaces its return type's; `inheritMaxAge` leaves the maxAge to the parent;
 * - a root field, and a field returning an object, without a maxAge gets 0 (not cacheable);
 * - the operation's policy is the least maxAge of its fields, PRIVATE if any is.
 *
 * Where Apollo sees only the fields that actually resolved, this counts every field the operation could
 * resolve: under every possible type of an abstract field and both sides of `@skip`/`@include`. So it is
 * never longer than Apollo's, and shorter only for a fragment on a type that never turns up.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getDirectiveValues,
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type SelectionSetNode,
  valueFromASTUntyped,
  visit,
} from 'graphql';

type Scope = 'PUBLIC' | 'PRIVATE';
export interface CacheHint {
  maxAge?: number;
  scope?: Scope;
}
interface Annotation extends CacheHint {
  inheritMaxAge?: boolean;
}

function replace(target: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined) target.maxAge = hint.maxAge;
  if (hint.scope !== undefined) target.scope = hint.scope;
}

function restrict(target: CacheHint, hint: CacheHint): void {
  if (hint.maxAge !== undefined && (target.maxAge === undefined || hint.maxAge < target.maxAge)) target.maxAge = hint.maxAge;
  if (hint.scope !== undefined && target.scope !== 'PRIVATE') target.scope = hint.scope;
}

/** Reads `@cacheControl` from a type's or a field's definition and its extensions. */
class Annotations {
  private readonly byType = new Map<GraphQLNamedType, Annotation>();
  private readonly byField = new Map<GraphQLField<unknown, unknown>, Annotation>();

  constructor(private readonly directive: GraphQLDirective | null | undefined) {}

  ofType(type: GraphQLNamedType): Annotation {
    let annotation = this.byType.get(type);
    if (!annotation) {
      annotation = this.read([type.astNode, ...(type.extensionASTNodes ?? [])]);
      this.byType.set(type, annotation);
    }
    return annotation;
  }

  ofField(field: GraphQLField<unknown, unknown>): Annotation {
    let annotation = this.byField.get(field);
    if (!annotation) {
      annotation = this.read([field.astNode]);
      this.byField.set(field, annotation);
    }
    return annotation;
  }

  private read(nodes: readonly (Parameters<typeof getDirectiveValues>[1] | null | undefined)[]): Annotation {
    if (!this.directive) return {};
    for (const node of nodes) {
      const values = node ? getDirectiveValues(this.directive, node) : undefined;
      if (values) {
        const { maxAge, scope, inheritMaxAge } = values as { maxAge?: number; scope?: Scope; inheritMaxAge?: boolean };
        return { ...(maxAge !== undefined ? { maxAge } : {}), ...(scope ? { scope } : {}), ...(inheritMaxAge ? { inheritMaxAge } : {}) };
      }
    }
    return {};
  }
}

/**
 * The types of the representations a federation `_entities` field is given, literally or as variables: its
 * resolver (@apollo/subgraph) restricts the field's policy by each one's hint.
 */
function representationTypes(schema: GraphQLSchema, field: FieldNode, variables: Record<string, unknown>): GraphQLNamedType[] {
  const argument = field.arguments?.find((arg) => arg.name.value === 'representations');
  const value: unknown = argument ? valueFromASTUntyped(argument.value, variables) : undefined;
  const names = new Set<string>();
  for (const representation of Array.isArray(value) ? value : []) {
    const typename = (representation as { __typename?: unknown } | null)?.__typename;
    if (typeof typename === 'string') names.add(typename);
  }
  return [...names].flatMap((name) => schema.getType(name) ?? []);
}

/** Whether an operation's policy depends on its variables: it asks `_entities`, whose types they name. */
export function dependsOnVariables(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '_entities') found = true;
    },
  });
  return found;
}

/** The policy of one operation of a document, by the rules above. */
export function operationCachePolicy(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> = {},
  annotations = new Annotations(schema.getDirective('cacheControl')),
): CacheHint {
  const operation = getOperationAST(document, operationName);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  const overall: CacheHint = {};
  if (!operation || !root) return overall;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const applies = (typeCondition: string | undefined, type: GraphQLObjectType): boolean => {
    if (typeCondition === undefined || typeCondition === type.name) return true;
    const condition = schema.getType(typeCondition);
    return condition !== undefined && isAbstractType(condition) && schema.isSubType(condition, type);
  };
  // Each (type, selection set) is counted once: a fragment spread in many places adds its hints once, and a
  // fragment that (invalidly) spreads itself ends there.
  const seen = new Map<GraphQLObjectType, Set<SelectionSetNode>>();

  const walk = (selectionSet: SelectionSetNode, type: GraphQLObjectType, isRoot: boolean): void => {
    const visited = seen.get(type) ?? new Set<SelectionSetNode>();
    seen.set(type, visited);
    if (visited.has(selectionSet)) return;
    visited.add(selectionSet);
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value, type)) walk(selection.selectionSet, type, isRoot);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && applies(fragment.typeCondition.name.value, type)) walk(fragment.selectionSet, type, isRoot);
      } else {
        const field = type.getFields()[selection.name.value];
        // Meta fields (`__typename`, introspection) carry no hint, as in Apollo's plugin.
        if (!field) continue;
        const target = getNamedType(field.type);
        const policy: CacheHint = {};
        let inherits = false;
        if (isCompositeType(target)) {
          const typeAnnotation = annotations.ofType(target);
          replace(policy, typeAnnotation);
          inherits = typeAnnotation.inheritMaxAge === true;
        }
        if (isRoot && field.name === '_entities') {
          for (const represented of representationTypes(schema, selection, variables)) restrict(policy, annotations.ofType(represented));
        }
        const fieldAnnotation = annotations.ofField(field);
        if (fieldAnnotation.inheritMaxAge && policy.maxAge === undefined) {
          inherits = true;
          if (fieldAnnotation.scope) replace(policy, { scope: fieldAnnotation.scope });
        } else {
          replace(policy, fieldAnnotation);
        }
        if (policy.maxAge === undefined && ((isCompositeType(target) && !inherits) || isRoot)) restrict(policy, { maxAge: 0 });
        restrict(overall, policy);
        if (selection.selectionSet && isCompositeType(target)) {
          for (const possible of possibleTypes(schema, target)) walk(selection.selectionSet, possible, false);
        }
      }
    }
  };
  walk(operation.selectionSet, root, true);
  return overall;
}

function possibleTypes(schema: GraphQLSchema, type: GraphQLCompositeType): readonly GraphQLObjectType[] {
  return isObjectType(type) ? [type] : schema.getPossibleTypes(type);
}

const UNCACHEABLE = 'no-store';
/** Policies remembered per parsed document: one per operation name, and per variables for `_entities`. */
const POLICIES_PER_DOCUMENT = 100;

/**
 * Sets each request's cache policy from `operationCachePolicy` (remembered per parsed document and operation
 * name, and variables where they matter: Apollo hands repeated requests the same document) and the `Cache-Control` header from it, as Apollo's
 * cache-control plugin does. Install it with `ApolloServerPluginCacheControlDisabled()`.
 */
export function staticCachePolicyPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  let annotations: Annotations | undefined;
  const policies = new WeakMap<DocumentNode, { byVariables: boolean; policies: Map<string, CacheHint> }>();
  return {
    async serverWillStart({ schema }) {
      annotations = new Annotations(schema.getDirective('cacheControl'));
    },
    async requestDidStart() {
      return {
        async executionDidStart({ schema, document, operationName, request, overallCachePolicy }) {
          const known = policies.get(document) ?? { byVariables: dependsOnVariables(document), policies: new Map<string, CacheHint>() };
          policies.set(document, known);
          const variables = request.variables ?? {};
          const key = known.byVariables ? `${operationName ?? ''}\u0000${JSON.stringify(variables)}` : (operationName ?? '');
          let policy = known.policies.get(key);
          if (!policy) {
            policy = operationCachePolicy(schema, document, operationName, variables, annotations);
            if (known.policies.size >= POLICIES_PER_DOCUMENT) known.policies.clear();
            known.policies.set(key, policy);
          }
          overallCachePolicy.restrict(policy);
        },
        async willSendResponse({ response, overallCachePolicy }) {
          // A header some other plugin set stands.
          if (response.http.headers.has('cache-control')) return;
          const cacheable = overallCachePolicy.policyIfCacheable();
          const clean = response.body.kind === 'single' && !response.body.singleResult.errors;
          response.http.headers.set(
            'cache-control',
            cacheable && clean ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : UNCACHEABLE,
          );
        },
      };
    },
  };
}
