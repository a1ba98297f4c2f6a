import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginLandingPageLocalDefault,
  ApolloServerPluginLandingPageProductionDefault,
} from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { Neo4jError } from 'neo4j-driver';
import type { Config } from './config';
import { createContext, type Context } from './context';
import type { Neo4jClient } from './db/neo4jClient';
import { ErrorCode } from './errors';
import type { Logger } from './logger';
import { buildSchema } from './schema';

export interface ServerDeps {
  config: Pick<Config, 'env' | 'introspection'>;
  client: Neo4jClient;
  logger: Logger;
}

export interface RunningServer {
  app: express.Express;
  httpServer: http.Server;
  apollo: ApolloServer<Context>;
}

const UNAVAILABLE_NEO4J_CODES = new Set(['ServiceUnavailable', 'SessionExpired', 'Neo.TransientError.General.DatabaseUnavailable']);

/**
 * Clients see a code and a message they can act on, never a stack trace or a driver internal. Errors we
 * did not raise on purpose are logged in full and reach the client as a generic internal error.
 */
export function formatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const code = formatted.extensions?.code;
    if (original instanceof Neo4jError && UNAVAILABLE_NEO4J_CODES.has(original.code)) {
      return { message: 'The graph database is not reachable right now; try again shortly.', path: formatted.path, extensions: { code: ErrorCode.ServiceUnavailable } };
    }
    if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
      logger.error({ err: original, path: formatted.path }, 'unexpected error while resolving');
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  };
}

/** Builds the HTTP app: GraphQL at /graphql plus liveness and readiness probes. Call `listen` on the result. */
export async function createServer({ config, client, logger }: ServerDeps, extraPlugins: ApolloServerPlugin<Context>[] = []): Promise<RunningServer> {
  const app = express();
  const httpServer = http.createServer(app);
  const production = config.env === 'production';
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    logger,
    formatError: formatError(logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      production ? ApolloServerPluginLandingPageProductionDefault({ footer: false }) : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false }),
      ...extraPlugins,
    ],
  });
  await apollo.start();

  app.get('/health/live', (_req, res) => {
    res.json({ status: 'up' });
  });
  app.get('/health/ready', async (_req, res) => {
    const ready = await client.ping();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', neo4j: ready ? 'up' : 'down' });
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = req.header('x-request-id') ?? randomUUID();
        return createContext(client, logger, requestId);
      },
    }),
  );
  return { app, httpServer, apollo };
}
