/**
 * Target 1: this service, as `npm start` builds it in production: createServer from src/server.ts with a
 * Neo4jClient, Prometheus metrics on (the default), an info-level logger (written to /dev/null: the service
 * logs nothing per request at info), NODE_ENV=production settings.
 */
import pino from 'pino';
import { NO_AUTH } from '../../src/auth';
import { createDriver, Neo4jClient } from '../../src/db/neo4jClient';
import { MUTATION_RATE_LIMIT, RESPONSE_CACHE_SETTINGS, settingDefaults } from '../../src/limits';
import { createLogger } from '../../src/logger';
import { createMetrics } from '../../src/metrics';
import { createServer } from '../../src/server';
import { closeServer, InFlight, listenOnLoopback, type RunningTarget } from './common';

export const POOL_SIZE = 100;
export const QUERY_TIMEOUT_MS = 10_000;
/** The editor key the bench's ingestion row writes with. */
export const BENCH_EDITOR_KEY = 'bench-editor-key-0123456789abcdef0123456789';

/** `responseCache`: the whole-response cache on (RESPONSE_CACHE=true, default size and poll), for the cached rows. */
export async function startOurs(uri: string, options: { responseCache?: boolean } = {}): Promise<RunningTarget> {
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: false }));
  const metrics = createMetrics();
  const client = new Neo4jClient(createDriver({ uri, maxPoolSize: POOL_SIZE }), {
    queryTimeoutMs: QUERY_TIMEOUT_MS,
    logger,
    observer: metrics.queryObserver,
  });
  metrics.watchNeo4j(client, POOL_SIZE);
  const inFlight = new InFlight();
  const auth = { ...NO_AUTH, apiKeys: [{ name: 'bench', role: 'editor' as const, key: BENCH_EDITOR_KEY }] };
  const responseCache = options.responseCache ? { enabled: true, ...settingDefaults(RESPONSE_CACHE_SETTINGS) } : undefined;
  // The ingestion row writes as fast as it can from one credential: the per-credential limit would refuse it.
  const mutationsPerMinute = MUTATION_RATE_LIMIT.max;
  const config = { env: 'production' as const, introspection: false, auth, responseCache, mutationsPerMinute };
  const server = await createServer({ config, client, logger, metrics }, [inFlight.apolloPlugin()]);
  const origin = await listenOnLoopback(server.httpServer);
  return {
    endpoint: () => `${origin}/graphql`,
    inFlight: () => inFlight.count,
    stop: async () => {
      await server.apollo.stop();
      await closeServer(server.httpServer);
      await client.close();
    },
  };
}
