/**
 * Every bound the service puts on a request, in one place. The SDL states the same ranges in its
 * argument descriptions, and tests/unit/limits.test.ts checks that the two agree.
 */
import { badUserInput } from './errors';

/** An integer argument's allowed range and the default the SDL gives it. */
export interface IntRange {
  min: number;
  max: number;
  default: number;
}

/** `first` on every connection: a page of 0 to 200 items. */
export const PAGE_SIZE: IntRange = { min: 0, max: 200, default: 50 };
/** `search(first)`: full-text hits. */
export const SEARCH_HITS: IntRange = { min: 0, max: 100, default: 10 };
/** `mostConnected(first)`, `coOccurrence(first)`: ranked entities. */
export const RANKED_ENTITIES: IntRange = { min: 1, max: 200, default: 10 };
/** `neighborhood(depth)`: hops out from the centre. */
export const NEIGHBORHOOD_DEPTH: IntRange = { min: 1, max: 3, default: 1 };
/** `neighborhood(limit)`: entities in the piece drawn. */
export const NEIGHBORHOOD_NODES: IntRange = { min: 1, max: 500, default: 200 };
/**
 * How `neighborhood` expands each entity (src/data/exploration.ts; the SDL states the rule): at most
 * `perEntity` neighbours each, and an entity with more than `hubFacts` facts, other than the centre, is
 * drawn but not expanded.
 */
export const NEIGHBORHOOD_EXPANSION = { perEntity: 25, hubFacts: 200 } as const;
/** `path(maxHops)`, `allShortestPaths(maxHops)`: the hop bound, spliced into Cypher once checked. */
export const PATH_HOPS: IntRange = { min: 1, max: 6, default: 4 };
/** `allShortestPaths(first)`: paths returned. */
export const SHORTEST_PATHS: IntRange = { min: 1, max: 50, default: 10 };
/** `suggestEntities(first)`: mentions returned. */
export const MENTIONS: IntRange = { min: 1, max: 500, default: 50 };
/** `changes(first)`: a page of the change log (a connection, with a smaller default). */
export const CHANGES_PAGE: IntRange = { min: 0, max: 200, default: 20 };

/**
 * Where each range applies, by schema coordinate. Every other `first` argument is a connection's and
 * takes PAGE_SIZE (tests/unit/limits.test.ts checks that no Int argument is left out).
 */
export const ARGUMENT_RANGES: Readonly<Record<string, IntRange>> = {
  'Query.search(first)': SEARCH_HITS,
  'Query.mostConnected(first)': RANKED_ENTITIES,
  'Query.coOccurrence(first)': RANKED_ENTITIES,
  'Query.neighborhood(depth)': NEIGHBORHOOD_DEPTH,
  'Query.neighborhood(limit)': NEIGHBORHOOD_NODES,
  'Query.path(maxHops)': PATH_HOPS,
  'Query.allShortestPaths(maxHops)': PATH_HOPS,
  'Query.allShortestPaths(first)': SHORTEST_PATHS,
  'Query.suggestEntities(first)': MENTIONS,
  'Query.changes(first)': CHANGES_PAGE,
};

/**
 * `Subscription.changeAdded` over graphql-ws: how many subscriptions one WebSocket connection and the
 * whole service may hold at once, how many changes a subscription may fall behind before it is ended
 * (a reader that slow catches up through `Query.changes`), and the largest message a client may send.
 */
export const SUBSCRIPTIONS = {
  perConnection: 10,
  total: 1_000,
  backlog: 100,
  messageBytes: 65_536,
} as const;

/** The most facts a derived, unpaginated field (such as `Region.control` or `Person.offices`) returns. */
export const DERIVED_FIELD_ITEMS = 100;

/** Full-text search reads at most this many words of the text, each cut to this many characters. */
export const SEARCH_TERMS = 8;
export const SEARCH_TERM_LENGTH = 40;

/**
 * Look-ahead (src/planner/selection.ts) reads the pages a query selects below an entity in the statement
 * that fetches it. Past these bounds, fields load on their own, batched, one round trip per level.
 */
export const LOOKAHEAD = {
  /** How many levels of pages one statement reads. */
  depth: 3,
  /** How many pages one statement reads: hundreds of aliased pages would take Neo4j seconds to plan. */
  pagesPerStatement: 24,
  /**
   * How many items the nested pages below one entity may multiply into (the product of their limits): a
   * statement repeats an entity wherever it appears, where loaders fetch each once.
   */
  rowsPerEntity: 10_000,
  /** Plans shared across requests of the same operation and variables, per server. */
  sharedPlans: 5_000,
  /** Requests whose variables' JSON is longer than this do not share plans (memory stays bounded). */
  sharedVariablesLength: 4_096,
} as const;

/** Bounds on one GraphQL operation (src/operationLimits.ts), each set by an environment variable. */
export interface OperationLimits {
  /** GRAPHQL_MAX_TOKENS: lexical tokens in the document, checked while parsing. */
  maxTokens: number;
  /** GRAPHQL_MAX_DEPTH: levels of nested fields, through fragments (which add no level of their own). */
  maxDepth: number;
  /** GRAPHQL_MAX_ALIASES: aliased fields in the operation, each fragment counted once. */
  maxAliases: number;
  /** GRAPHQL_MAX_DIRECTIVES: directives in the operation (`@include`, `@skip`, ...). */
  maxDirectives: number;
  /** GRAPHQL_MAX_COST: the operation's cost (src/operationLimits.ts `fieldCost`), with its variables. */
  maxCost: number;
}

/** A bound an operator sets through an environment variable (validated in src/config.ts). */
export interface Setting extends IntRange {
  variable: string;
}

/**
 * Each operation limit's variable, default and allowed range. The defaults let through Apollo Sandbox's
 * introspection (depth 13 with graphql-js's 7 levels of `ofType`), a federation gateway's `_entities`
 * batch of 500 representations, every query of README.md, bench/ and the explorer, and the deepest
 * dashboards of the tests (depth 18, cost about 120,000).
 */
export const OPERATION_LIMITS: Readonly<Record<keyof OperationLimits, Setting>> = {
  maxTokens: { variable: 'GRAPHQL_MAX_TOKENS', min: 100, max: 1_000_000, default: 5_000 },
  maxDepth: { variable: 'GRAPHQL_MAX_DEPTH', min: 2, max: 1_000, default: 20 },
  maxAliases: { variable: 'GRAPHQL_MAX_ALIASES', min: 0, max: 100_000, default: 30 },
  maxDirectives: { variable: 'GRAPHQL_MAX_DIRECTIVES', min: 0, max: 100_000, default: 50 },
  maxCost: { variable: 'GRAPHQL_MAX_COST', min: 1, max: 1_000_000_000, default: 250_000 },
};

/** How long the service waits, and how it recovers, when the database is slow or gone (src/db/). */
export interface ResilienceSettings {
  /** REQUEST_TIMEOUT_MS: the deadline of one request; its Neo4j transactions end with it. */
  requestTimeoutMs: number;
  /** NEO4J_ACQUISITION_TIMEOUT_MS: the longest wait for a pooled connection, or to open a new one. */
  acquisitionTimeoutMs: number;
  /** NEO4J_PROBE_INTERVAL_MS: how often the database is probed while it is known to be down. */
  probeIntervalMs: number;
  /** NEO4J_EMBEDDED_RESTARTS: restarts of the embedded database in a row before the service gives up. */
  embeddedRestarts: number;
  /** NEO4J_EMBEDDED_WATCHDOG_MS: how long the embedded database may not answer before it is restarted. */
  embeddedWatchdogMs: number;
}

export const RESILIENCE_SETTINGS: Readonly<Record<keyof ResilienceSettings, Setting>> = {
  requestTimeoutMs: { variable: 'REQUEST_TIMEOUT_MS', min: 100, max: 600_000, default: 15_000 },
  acquisitionTimeoutMs: { variable: 'NEO4J_ACQUISITION_TIMEOUT_MS', min: 100, max: 120_000, default: 2_000 },
  probeIntervalMs: { variable: 'NEO4J_PROBE_INTERVAL_MS', min: 50, max: 60_000, default: 500 },
  embeddedRestarts: { variable: 'NEO4J_EMBEDDED_RESTARTS', min: 0, max: 1_000, default: 5 },
  embeddedWatchdogMs: { variable: 'NEO4J_EMBEDDED_WATCHDOG_MS', min: 1_000, max: 3_600_000, default: 30_000 },
};

/** The whole-response cache (src/responseCache.ts), on when RESPONSE_CACHE=true. */
export interface ResponseCacheSettings {
  /** RESPONSE_CACHE_MAX_BYTES: the most bytes of UTF-8 the cached answers may hold; least recently used go first. */
  maxBytes: number;
  /** RESPONSE_CACHE_POLL_MS: how often the newest change is read, to see writes made by other processes. */
  pollMs: number;
}

export const RESPONSE_CACHE_SETTINGS: Readonly<Record<keyof ResponseCacheSettings, Setting>> = {
  maxBytes: { variable: 'RESPONSE_CACHE_MAX_BYTES', min: 1_048_576, max: 17_179_869_184, default: 67_108_864 },
  pollMs: { variable: 'RESPONSE_CACHE_POLL_MS', min: 100, max: 300_000, default: 5_000 },
};

/** The defaults of a group of settings, for callers (tests, tools) that do not read the environment. */
export function settingDefaults<K extends string>(settings: Readonly<Record<K, Setting>>): Record<K, number> {
  return Object.fromEntries(Object.entries<Setting>(settings).map(([key, s]) => [key, s.default])) as Record<K, number>;
}

/** MUTATION_RATE_LIMIT: mutations one credential may start a minute (src/rateLimit.ts); past it, HTTP 429. */
export const MUTATION_RATE_LIMIT: Setting = { variable: 'MUTATION_RATE_LIMIT', min: 1, max: 1_000_000, default: 120 };

/** `/health/ready` answers within this, whatever the database does. */
export const READINESS_TIMEOUT_MS = 1_500;

export const OPERATION_COST = {
  /** Costs remembered per parsed document, one per operation name and variables (the lot is dropped when full). */
  cachedPerDocument: 100,
  /**
   * A list field without a page size counts as this many items: such lists are short (a fact's evidence)
   * or bounded (derived fields, at most DERIVED_FIELD_ITEMS), and the page sizes around them are counted.
   */
  unsizedList: 1,
  /**
   * The most field selections the cost is computed over, fragments expanded where they are spread: past
   * this the operation is refused, so a fragment spread many times over cannot make the count itself slow.
   */
  maxFieldsVisited: 10_000,
} as const;

/**
 * The value of an optional integer argument: the SDL's default when it is null, and BAD_USER_INPUT
 * naming the argument and its range when it is outside it.
 */
export function intArgument(name: string, value: number | null | undefined, range: IntRange): number {
  const chosen = value ?? range.default;
  if (!Number.isInteger(chosen) || chosen < range.min || chosen > range.max) {
    throw badUserInput(`Argument "${name}" must be an integer from ${range.min} to ${range.max}; got ${chosen}.`, name);
  }
  return chosen;
}

/** Bounds on one ingested document, configured by INGEST_MAX_TEXT_BYTES and INGEST_MAX_RELATIONS. */
export interface IngestLimits {
  /** The longest document text, in bytes of UTF-8. */
  maxTextBytes: number;
  /** The most relations one document may carry. */
  maxRelations: number;
}

/**
 * Bounds on what one write may carry (beyond INGEST_MAX_TEXT_BYTES and INGEST_MAX_RELATIONS, which are
 * configured): string lengths in UTF-16 code units, and counts.
 */
export const WRITE_INPUT = {
  titleLength: 500,
  nameLength: 200,
  roleLength: 200,
  descriptionLength: 2_000,
  reasonLength: 1_000,
  entitiesPerDocument: 1_000,
  aliasesPerEntity: 50,
  evidencePerItem: 50,
} as const;
