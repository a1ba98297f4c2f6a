import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import cors from 'cors';
import express from 'express';
import { environmentDefaults, type Config } from './config';
import { createContext, createServices, type Context, type Services } from './context';
import type { Neo4jClient } from './db/neo4jClient';
import { explorerRouter } from './explorer';
import { readinessHandler } from './health';
import { MUTATION_RATE_LIMIT, OPERATION_LIMITS, settingDefaults } from './limits';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { operationLimits } from './operationLimits';
import { mutationRateLimitPlugin } from './rateLimit';
import { graphqlHttpHandler, isGraphQLPath, type HttpStep } from './graphqlHttp';
import { REQUEST_ID_HEADER, requestContextMiddleware, requestInfoOf, TRACEPARENT_HEADER } from './requestContext';
import { formatError, unexpectedErrorLogging } from './errorReporting';
import { buildSchema } from './schema';
import { staticCachePolicyPlugin } from './cachePolicy';
import { serveSubscriptions, subscriptionsOverWebSocketOnly } from './subscriptions';
import { projectionPlugin } from './planner/selection';
import { Authenticator, authorizationPlugin, NO_AUTH } from './auth';
import { responseCachePlugins } from './responseCache';
import type { IngestLimits } from './limits';

export interface ServerDeps {
  /** `landingPage`, `corsOrigins` and `explorer` default by environment (see `environmentDefaults` in src/config.ts). */
  config: Pick<Config, 'env' | 'introspection'> &
    Partial<Pick<Config, 'landingPage' | 'corsOrigins' | 'explorer' | 'auth' | 'ingest' | 'responseCache'>> &
    /** Default: the defaults of src/limits.ts. */
    Partial<Pick<Config, 'limits' | 'resilience' | 'mutationsPerMinute'>>;
  client: Neo4jClient;
  logger: Logger;
  /** When given, every operation is counted and timed, and GET /metrics serves the Prometheus text. */
  metrics?: Metrics;
  /** What requests share; made from `client` and `config.ingest` when not given. */
  services?: Services;
}

/** INGEST_MAX_TEXT_BYTES and INGEST_MAX_RELATIONS as src/config.ts defaults them. */
export const DEFAULT_INGEST_LIMITS: IngestLimits = { maxTextBytes: 1_048_576, maxRelations: 500 };

/**
 * The largest request body: room for the largest document text ingestion takes, twice over (JSON
 * escapes), and the rest of the input; never below 1 MB.
 */
const bodyLimitOf = (limits: IngestLimits) => Math.max(1_048_576, 2 * limits.maxTextBytes + 262_144);

export interface RunningServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
  /** What this server's requests share: plans, the name automaton, the write services, the change feed. */
  services: Services;
}

/** The request headers a browser may send cross-origin: Apollo's CSRF preflight headers and our tracing ones. */
const CORS_ALLOWED_HEADERS = ['content-type', 'apollo-require-preflight', 'x-apollo-operation-name', REQUEST_ID_HEADER, TRACEPARENT_HEADER];

/** The CORS policy for /graphql: `*`, an exact list of origins, or (an empty list) no cross-origin access. */
export function corsMiddleware(origins: '*' | string[]): HttpStep {
  return cors<http.IncomingMessage>({
    origin: origins === '*' ? '*' : origins.length > 0 ? origins : false,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: [REQUEST_ID_HEADER, TRACEPARENT_HEADER],
    maxAge: 600,
  });
}

/**
 * Errors raised outside GraphQL (a body that is not JSON or is too large, a failing /metrics) answer in the
 * GraphQL error shape with a code and never a stack trace, whatever NODE_ENV Express itself sees.
 */
function sendHttpError(logger: Logger, error: unknown, res: http.ServerResponse): void {
  const { status: rawStatus, statusCode, type } = (error ?? {}) as { status?: unknown; statusCode?: unknown; type?: unknown };
  const given = typeof rawStatus === 'number' ? rawStatus : typeof statusCode === 'number' ? statusCode : 500;
  const status = given >= 400 && given < 600 ? given : 500;
  let message: string;
  let code: string;
  if (type === 'entity.parse.failed') {
    [message, code] = ['The request body is not valid JSON.', 'BAD_REQUEST'];
  } else if (type === 'entity.too.large') {
    const limit = (error as { limit?: unknown }).limit;
    const size = typeof limit === 'number' ? ` (the limit is ${limit.toLocaleString('en')} bytes)` : '';
    [message, code] = [`The request body is too large${size}.`, 'PAYLOAD_TOO_LARGE'];
  } else if (status < 500) {
    [message, code] = [http.STATUS_CODES[status] ?? 'Bad request', 'BAD_REQUEST'];
  } else {
    logger.error({ err: error, requestId: requestInfoOf(res)?.requestId }, 'unexpected error while handling an HTTP request');
    [message, code] = ['Internal server error', 'INTERNAL_SERVER_ERROR'];
  }
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(body);
}

function httpErrorHandler(logger: Logger): express.ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) next(error);
    else sendHttpError(logger, error, res);
  };
}

/**
 * Builds the HTTP app: GraphQL at /graphql, liveness and readiness probes, /metrics when metrics are given,
 * and the graph explorer at /explore when `config.explorer` is on. Call `listen` on the result.
 *
 * In production (`config.env === 'production'`) clients get no stack traces and no schema details in error
 * messages (no "Did you mean ...?" field suggestions); introspection and the Sandbox landing page are off
 * unless `config.introspection` / `config.landingPage` switch them on. CSRF prevention is always on.
 */
export async function createServer(
  { config, client, logger, metrics, services: givenServices }: ServerDeps,
  extraPlugins: ApolloServerPlugin<Context>[] = [],
): Promise<RunningServer> {
  const app = express();
  app.disable('x-powered-by');
  // No ETag hashing of `res.send` bodies: the probes and /metrics are read fresh each time, and the explorer's
  // files (sendFile, static) carry their own.
  app.disable('etag');
  // /graphql is served from node:http directly (src/graphqlHttp.ts); everything else by Express.
  const httpServer = http.createServer();
  const production = config.env === 'production';
  const defaults = environmentDefaults(config.env);
  const landingPage = config.landingPage ?? defaults.landingPage;
  const limits = config.ingest ?? DEFAULT_INGEST_LIMITS;
  const services = givenServices ?? createServices(client, limits);
  const authenticator = new Authenticator(config.auth ?? NO_AUTH);
  const schema = buildSchema();
  const operation = operationLimits<Context>(config.limits ?? settingDefaults(OPERATION_LIMITS));
  // Subscriptions over WebSocket on the same /graphql (src/subscriptions.ts), drained with the HTTP server.
  const subscriptions = serveSubscriptions({
    httpServer,
    schema,
    client,
    logger,
    services,
    authenticator,
    corsOrigins: config.corsOrigins ?? defaults.corsOrigins,
    formatError,
    operationLimits: operation,
  });
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: production,
    // Apollo's default, stated so no one turns it off by accident: a GET or a POST that a browser could send
    // cross-site without a preflight (text/plain, form data) must carry a preflight-forcing header.
    csrfPrevention: true,
    logger,
    formatError,
    parseOptions: operation.parseOptions,
    validationRules: operation.validationRules,
    plugins: [
      operation.plugin,
      unexpectedErrorLogging<Context>(logger),
      mutationRateLimitPlugin<Context>(config.mutationsPerMinute ?? MUTATION_RATE_LIMIT.default),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      subscriptions.drainPlugin,
      subscriptionsOverWebSocketOnly,
      // Production shows Apollo's static production page, which embeds no Sandbox and runs no queries.
      landingPage
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false })
        : ApolloServerPluginLandingPageProductionDefault({ footer: false }),
      // The cache policy from the schema's hints, once per operation instead of a hook on every field.
      ApolloServerPluginCacheControlDisabled(),
      staticCachePolicyPlugin<Context>(),
      // Every operation is checked against its caller before anything resolves: writes need the editor role.
      authorizationPlugin<Context>(authenticator),
      // Each request reads only the stored properties its operation can select.
      projectionPlugin<Context>(),
      // Off by default; when on, whole answers of queries are kept while their @cacheControl hints allow.
      ...responseCachePlugins<Context>({ settings: config.responseCache, client, changes: services.changes, logger }),
      ...(metrics ? [metrics.plugin as ApolloServerPlugin<Context>] : []),
      ...extraPlugins,
    ],
  });
  await apollo.start();

  // First: every response carries the request id (and the request's logger writes it on each line).
  app.use(requestContextMiddleware);
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'up' });
  });
  app.get('/health/ready', readinessHandler(client));
  if (metrics) {
    app.get('/metrics', async (_req, res) => {
      const { contentType, body } = await metrics.render();
      res.type(contentType).send(body);
    });
  }
  const serveGraphQL = graphqlHttpHandler<Context>({
    apollo,
    steps: [corsMiddleware(config.corsOrigins ?? defaults.corsOrigins), express.json({ limit: bodyLimitOf(limits) })],
    // A bad credential is refused here, with 401, before any operation is looked at.
    context: async (req, { requestId, traceId }) => {
      const principal = await authenticator.authenticate(req.headers.authorization);
      return createContext(client, traceId === undefined ? logger : logger.child({ traceId }), requestId, services, {
        lookahead: true,
        principal,
      });
    },
    onError: (error, res) => sendHttpError(logger, error, res),
  });
  httpServer.on('request', (req: http.IncomingMessage, res: http.ServerResponse) =>
    isGraphQLPath(req.url) ? serveGraphQL(req, res) : app(req, res),
  );
  // The graph explorer page (src/explorer.ts): a browser client of /graphql, served from this origin.
  if (config.explorer ?? defaults.explorer) app.use('/explore', await explorerRouter(logger));
  app.use(httpErrorHandler(logger));
  return { app, httpServer, apollo, services };
}
