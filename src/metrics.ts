/**
 * Prometheus metrics, served at GET /metrics (see docs/operations.md for the list and what to alert on).
 *
 * Each `createMetrics()` has its own registry, so several servers in one process (as in the tests) never
 * clash over a metric name.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { getOperationAST } from 'graphql';
import type { Driver } from 'neo4j-driver';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Neo4jClient, QueryObserver } from './db/neo4jClient';

/** How an operation ended, as the `outcome` label says it. */
export type OperationOutcome = 'success' | 'error' | 'invalid';

/** Operation names are chosen by clients: past this many distinct names, new ones are counted as `other`. */
export const MAX_OPERATION_NAMES = 100;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/;

const SECONDS = 1000;

export interface Metrics {
  readonly registry: Registry;
  /** Pass to Neo4jClient (`observer`) so every Cypher statement is counted and timed. */
  readonly queryObserver: QueryObserver;
  /** Add to the Apollo server: counts and times each GraphQL operation. */
  readonly plugin: ApolloServerPlugin;
  /** Counts one restart of the embedded database (src/db/embedded/supervisor.ts). */
  countEmbeddedRestart(): void;
  /** Reports the state of this client's connection pool at every scrape. Call once the client exists. */
  watchNeo4j(client: Neo4jClient, maxPoolSize: number): void;
  /** The exposition text and its content type, for the /metrics handler. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Also collect the process and Node.js runtime metrics of prom-client (CPU, memory, event loop, GC). */
  defaultMetrics?: boolean;
}

/**
 * The live state of the driver's connection pool per server address. neo4j-driver 6 has no public API for
 * this, so it is read from the driver's internal pool (the same numbers the driver puts in its own
 * "Connection acquisition timed out ... Active conn count = N, Idle conn count = M" error). Every field is
 * checked first: if a driver upgrade changes the internals, this returns undefined and the metric
 * `neo4j_pool_state_available` drops to 0, rather than anything failing or lying.
 */
export function readPoolState(driver: Driver): Map<string, { inUse: number; idle: number; waiting: number }> | undefined {
  const provider = (driver as unknown as { _connectionProvider?: unknown })._connectionProvider;
  // The driver creates its connection provider (and pool) lazily, on first use.
  if (provider === null || provider === undefined) return new Map();
  const pool = (provider as { _connectionPool?: unknown })._connectionPool as
    { _pools?: unknown; _activeResourceCounts?: unknown; _acquireRequests?: unknown } | undefined;
  if (
    !pool ||
    typeof pool._pools !== 'object' ||
    typeof pool._activeResourceCounts !== 'object' ||
    typeof pool._acquireRequests !== 'object'
  ) {
    return undefined;
  }
  const pools = pool._pools as Record<string, { length?: unknown }>;
  const active = pool._activeResourceCounts as Record<string, unknown>;
  const waiting = pool._acquireRequests as Record<string, { length?: unknown } | undefined>;
  const state = new Map<string, { inUse: number; idle: number; waiting: number }>();
  for (const address of new Set([...Object.keys(pools), ...Object.keys(active)])) {
    const idle = pools[address]?.length ?? 0;
    const inUse = active[address] ?? 0;
    const queued = waiting[address]?.length ?? 0;
    if (typeof idle !== 'number' || typeof inUse !== 'number' || typeof queued !== 'number') return undefined;
    state.set(address, { inUse, idle, waiting: queued });
  }
  return state;
}

function isAcquisitionTimeout(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('Connection acquisition timed out');
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  // Neo4j status codes are a fixed, documented set; anything else is bucketed so the label stays bounded.
  return typeof code === 'string' && /^[A-Za-z][\w.]{0,119}$/.test(code) ? code : 'unknown';
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL operations handled, by operation name, operation type and outcome (success, error: errors during execution, invalid: rejected before execution).',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'Time from receiving a GraphQL operation to sending its response, by operation name, operation type and outcome.',
    labelNames: ['operation_name', 'operation_type', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queries = new Counter({
    name: 'neo4j_queries_total',
    help: 'Cypher statements sent to Neo4j, by access mode (READ goes to read replicas/followers in a cluster) and outcome.',
    labelNames: ['mode', 'outcome'] as const,
    registers: [registry],
  });
  const queryDuration = new Histogram({
    name: 'neo4j_query_duration_seconds',
    help: 'Time for one Cypher statement including connection acquisition from the pool, by access mode and outcome.',
    labelNames: ['mode', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const queryErrors = new Counter({
    name: 'neo4j_query_errors_total',
    help: 'Failed Cypher statements by Neo4j error code (e.g. ServiceUnavailable, Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration).',
    labelNames: ['mode', 'code'] as const,
    registers: [registry],
  });
  const acquisitionTimeouts = new Counter({
    name: 'neo4j_pool_acquisition_timeouts_total',
    help: 'Statements that failed because no pooled connection became free within the acquisition timeout: the pool is too small or queries are too slow.',
    registers: [registry],
  });

  const embeddedRestarts = new Counter({
    name: 'neo4j_embedded_restarts_total',
    help: 'Restarts of the embedded Neo4j after it exited or stopped answering (NEO4J_EMBEDDED_RESTARTS in a row before the service gives up).',
    registers: [registry],
  });
  const observed: { client: Neo4jClient; maxPoolSize: number }[] = [];
  new Gauge({
    name: 'neo4j_up',
    help: '1 while the graph database answers, 0 while it is known to be down and requests fail fast (the breaker is open or the embedded database is restarting).',
    registers: [registry],
    collect() {
      this.set(observed.every(({ client }) => client.state.up) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'neo4j_queries_in_flight',
    help: 'Cypher statements currently running; each holds one pooled connection (counted by this service, not read from the driver).',
    registers: [registry],
    collect() {
      this.set(observed.reduce((sum, { client }) => sum + client.inFlight, 0));
    },
  });
  new Gauge({
    name: 'neo4j_pool_max_size',
    help: 'The configured maximum number of connections per server in the driver pool (NEO4J_MAX_POOL_SIZE).',
    registers: [registry],
    collect() {
      this.set(observed.reduce((sum, { maxPoolSize }) => sum + maxPoolSize, 0));
    },
  });
  // Registered before the two gauges below: its collect() sets them too, and a registry collects in order.
  new Gauge({
    name: 'neo4j_pool_connections',
    help: 'Open connections in the driver pool by server address and state (in_use, idle), read from the driver pool at scrape time.',
    labelNames: ['address', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      poolWaiting.reset();
      let available = observed.length > 0;
      for (const { client } of observed) {
        const state = readPoolState(client.driver);
        if (!state) {
          available = false;
          continue;
        }
        for (const [address, { inUse, idle, waiting }] of state) {
          this.inc({ address, state: 'in_use' }, inUse);
          this.inc({ address, state: 'idle' }, idle);
          poolWaiting.inc({ address }, waiting);
        }
      }
      poolAvailable.set(available ? 1 : 0);
    },
  });

  const poolAvailable = new Gauge({
    name: 'neo4j_pool_state_available',
    help: '1 when the neo4j_pool_connections and neo4j_pool_acquisition_waiting gauges could be read from the driver, 0 when not (they come from driver internals; see docs/operations.md).',
    registers: [registry],
  });
  const poolWaiting = new Gauge({
    name: 'neo4j_pool_acquisition_waiting',
    help: 'Requests waiting for a pooled connection to a server, by server address (read from the driver pool).',
    labelNames: ['address'] as const,
    registers: [registry],
  });
  const operationNames = new Set<string>();
  const operationLabel = (name: string | null | undefined): string => {
    if (name === null || name === undefined || name === '') return 'anonymous';
    if (!GRAPHQL_NAME.test(name)) return 'invalid_name';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    operationNames.add(name);
    return name;
  };

  const queryObserver: QueryObserver = ({ mode, durationMs, ok, error }) => {
    const outcome = ok ? 'success' : 'error';
    queries.inc({ mode, outcome });
    queryDuration.observe({ mode, outcome }, durationMs / SECONDS);
    if (!ok) {
      queryErrors.inc({ mode, code: errorCode(error) });
      if (isAcquisitionTimeout(error)) acquisitionTimeouts.inc();
    }
  };

  const plugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = performance.now();
      let executed = false;
      return {
        async executionDidStart() {
          executed = true;
        },
        async willSendResponse(requestContext) {
          const failed = (requestContext.errors?.length ?? 0) > 0;
          const outcome: OperationOutcome = !failed ? 'success' : executed ? 'error' : 'invalid';
          // An operation that failed validation was still parsed: take its name and type from the document. Only
          // when even parsing failed is there nothing but the name the client sent.
          const { operation, document, request } = requestContext;
          const parsed = operation ?? (document ? (getOperationAST(document, request.operationName) ?? undefined) : undefined);
          const name = parsed ? parsed.name?.value : request.operationName;
          const labels = { operation_name: operationLabel(name), operation_type: parsed?.operation ?? 'unknown', outcome };
          requests.inc(labels);
          requestDuration.observe(labels, (performance.now() - started) / SECONDS);
        },
      };
    },
  };

  return {
    registry,
    queryObserver,
    plugin,
    countEmbeddedRestart() {
      embeddedRestarts.inc();
    },
    watchNeo4j(client, maxPoolSize) {
      observed.push({ client, maxPoolSize });
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
