/**
 * Bounds on one GraphQL operation, checked before it runs, so a refused operation costs no database work:
 *
 * - tokens: graphql-js's own parser limit (`parseOptions.maxTokens`), before anything else is done;
 * - depth, aliases and directives: GraphQL Armor's validation rules, which count each fragment once;
 * - cost: graphql-query-complexity, once the variables are known (an Apollo `didResolveOperation` hook),
 *   so that page sizes passed as variables multiply the cost as literal ones do.
 *
 * Every refusal is HTTP 400 with `extensions.code` GRAPHQL_PARSE_FAILED (tokens) or GRAPHQL_VALIDATION_FAILED
 * (the rest) and `extensions.limit` naming the limit, as README.md's configuration table does.
 */
import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isCompositeType,
  isListType,
  type GraphQLCompositeType,
  type DocumentNode,
  type GraphQLField,
  type ParseOptions,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import {
  ARGUMENT_RANGES,
  NEIGHBORHOOD_DEPTH,
  NEIGHBORHOOD_NODES,
  OPERATION_COST,
  OPERATION_LIMITS,
  PAGE_SIZE,
  PATH_HOPS,
  type IntRange,
  type OperationLimits,
} from './limits';

const CODE = 'GRAPHQL_VALIDATION_FAILED';

function refusal(limit: keyof OperationLimits, message: string): GraphQLError {
  return new GraphQLError(`${message} (limit ${limit}, set by ${OPERATION_LIMITS[limit].variable})`, {
    extensions: { code: CODE, limit, http: { status: 400 } },
  });
}

/** graphql-js refuses a long document as a syntax error ("more that N tokens", sic): this says which limit. */
export function nameTokenLimit(error: GraphQLError): GraphQLError {
  if (/Document contains more tha[nt] \d+ tokens/.test(error.message) && error.extensions.limit === undefined) {
    Object.assign(error, { extensions: { ...error.extensions, limit: 'maxTokens' } });
    error.message = `${error.message} (limit maxTokens, set by ${OPERATION_LIMITS.maxTokens.variable})`;
  }
  return error;
}

/** GraphQL Armor reports through these callbacks; refusals are reported, not thrown, so Apollo answers 400. */
function armorCallbacks(limit: keyof OperationLimits) {
  return {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(refusal(limit, `Operation refused: ${error.message.replace(/^Syntax Error: /, '')}`)),
    ],
  };
}

/** The range of an Int argument, to charge a value at most its maximum (a larger one is refused by the resolver). */
function rangeOf(parent: string, field: string, argument: string): IntRange | undefined {
  const coordinate = ARGUMENT_RANGES[`${parent}.${field}(${argument})`];
  if (coordinate) return coordinate;
  if (argument === 'first') return PAGE_SIZE;
  if (argument === 'limit') return NEIGHBORHOOD_NODES;
  if (argument === 'depth') return NEIGHBORHOOD_DEPTH;
  if (argument === 'maxHops') return PATH_HOPS;
  return undefined;
}

/** An Int argument's value as charged: its default when omitted, clamped to its allowed range. */
function charged(args: Record<string, unknown>, parent: string, field: string, argument: string): number | undefined {
  const value = args[argument];
  const range = rangeOf(parent, field, argument);
  if (typeof value !== 'number' || !range) return undefined;
  return Math.min(Math.max(value, 0), range.max);
}

/** Types whose lists were already counted by the page size of the field that returned them. */
const PAGE_TYPE = /Connection$|^Subgraph$|^Path$/;

/**
 * How many items a field may return, for the cost: its page size (`first`), `depth` × `limit` for a
 * neighbourhood, `maxHops` (× `first`) for paths, the representations of `_entities`; a list without a
 * size counts as OPERATION_COST.unsizedList items.
 */
function multiplier(parent: GraphQLCompositeType, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (field.name === '_entities') return Array.isArray(args.representations) ? args.representations.length : 1;
  const size = (argument: string) => charged(args, parent.name, field.name, argument);
  const hops = size('maxHops');
  if (hops !== undefined) return hops * (size('first') ?? 1);
  const depth = size('depth');
  const limit = size('limit');
  if (depth !== undefined && limit !== undefined) return depth * limit;
  const first = size('first');
  if (first !== undefined) return first;
  if (isListType(getNullableType(field.type)) && !PAGE_TYPE.test(parent.name)) return OPERATION_COST.unsizedList;
  return 1;
}

/**
 * A field that returns objects costs, for each item it may return (at least one), 1 plus the cost of what it
 * selects on it. Scalars are free: the objects they are read from are what the database fetches.
 */
export function fieldCost({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number {
  if (!isCompositeType(getNamedType(field.type))) return 0;
  return Math.max(multiplier(type, field, args), 1) * (1 + childComplexity);
}

/** The cost of an operation with its variables, or the error that makes it impossible to compute. */
export function operationCost(
  requestContext: Pick<GraphQLRequestContextDidResolveOperation<object>, 'schema' | 'document' | 'request'>,
  maxQueryNodes: number,
): number {
  const { schema, document, request } = requestContext;
  return getComplexity({
    schema,
    query: document,
    variables: request.variables ?? {},
    operationName: request.operationName ?? undefined,
    estimators: [fieldCost],
    maxQueryNodes,
  });
}

export interface OperationLimitsSetup<TContext extends object> {
  parseOptions: ParseOptions;
  validationRules: ValidationRule[];
  plugin: ApolloServerPlugin<TContext>;
  /**
   * The refusal of an operation whose cost passes `maxCost`, or null. For paths Apollo does not run
   * (subscriptions over WebSocket); a variable that does not fit is left to execution, as over HTTP.
   */
  costRefusal(request: Pick<GraphQLRequestContextDidResolveOperation<object>, 'schema' | 'document' | 'request'>): GraphQLError | null;
}

/** What to give Apollo Server: its parse options, validation rules and a plugin. */
export function operationLimits<TContext extends object>(limits: OperationLimits): OperationLimitsSetup<TContext> {
  // Apollo hands every request of a known query the same parsed document: its cost for the same operation
  // and variables is computed once (a dashboard repeats both), not on every request.
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  const costRefusal: OperationLimitsSetup<TContext>['costRefusal'] = (request) => {
    let cost: number;
    try {
      const known = costs.get(request.document) ?? new Map<string, number>();
      costs.set(request.document, known);
      const key = `${request.request.operationName ?? ''}\u0000${JSON.stringify(request.request.variables ?? {})}`;
      cost = known.get(key) ?? operationCost(request, OPERATION_COST.maxFieldsVisited);
      if (known.size >= OPERATION_COST.cachedPerDocument) known.clear();
      known.set(key, cost);
    } catch (error) {
      // Variables that do not fit the operation are refused with BAD_USER_INPUT when it runs, before any
      // resolver; anything else (too many fields to visit) is a refusal here.
      if (error instanceof GraphQLError && /Variable "\$/.test(error.message)) return null;
      return refusal('maxCost', `Operation refused: ${(error as Error).message}`);
    }
    return cost > limits.maxCost
      ? refusal('maxCost', `Operation refused: its cost is ${cost}, more than the maximum of ${limits.maxCost}`)
      : null;
  };
  return {
    costRefusal,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: [
      // Fragments are flattened: a fragment spread adds no level, only the fields inside it do. Introspection
      // counts like any other selection, so `ofType` nested 20 deep is refused.
      maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: false, ...armorCallbacks('maxDepth') }),
      maxAliasesRule({ n: limits.maxAliases, ...armorCallbacks('maxAliases') }),
      maxDirectivesRule({ n: limits.maxDirectives, ...armorCallbacks('maxDirectives') }),
    ],
    plugin: {
      async requestDidStart() {
        return {
          async parsingDidStart() {
            return async (error?: Error) => {
              if (error instanceof GraphQLError) nameTokenLimit(error);
            };
          },
          async didResolveOperation(requestContext) {
            const refused = costRefusal(requestContext);
            if (refused) throw refused;
          },
        };
      },
    },
  };
}
