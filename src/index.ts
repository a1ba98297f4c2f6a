import { Authenticator } from './auth';
import { ConfigError, loadConfig } from './config';
import { ensureSchema } from './db/schema';
import { backfillTextHashes } from './data/writer';
import { connectNeo4j, Neo4jConnectError, type Neo4jConnection } from './db/connect';
import { isStartupError } from './db/embedded/errors';
import { createLogger } from './logger';
import { createMetrics } from './metrics';
import { createServer, type RunningServer } from './server';
import { isDatabaseEmpty, loadSeedGraph } from './seed/load';
import { readSeedGraph, SeedValidationError } from './seed/validate';

/** The HTTP port (PORT) is taken by another process. */
class HttpPortInUseError extends Error {
  override readonly name = 'HttpPortInUseError';

  constructor(port: number) {
    super(`Port ${port} is already in use: stop the process using it or set PORT to a free port.`);
  }
}

/** Errors a user can fix, printed as their one-line message alone; anything else is a bug and is logged whole. */
function isExpectedStartupError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof Neo4jConnectError ||
    error instanceof HttpPortInUseError ||
    error instanceof SeedValidationError ||
    isStartupError(error)
  );
}

function listen(server: RunningServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.httpServer.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new HttpPortInUseError(port) : error);
    });
    server.httpServer.listen(port, host, resolve);
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  let shuttingDown = false;
  // Assigned once, after `shutdown` (which may run before, on a signal during start-up) is defined.
  // eslint-disable-next-line prefer-const
  let connection: Neo4jConnection | undefined;
  let server: RunningServer | undefined;

  // Order matters: stop taking requests and drain them, then close the driver, then stop the database.
  const shutdown = async (reason: string, exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ reason }, 'shutting down');
    try {
      await server?.apollo.stop();
      await connection?.close();
    } catch (error) {
      logger.error({ err: error }, 'error during shutdown');
      exitCode = exitCode || 1;
    }
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.once('SIGINT', () => void shutdown('SIGINT', 0));
  process.once('SIGTERM', () => void shutdown('SIGTERM', 0));

  const metrics = config.metrics ? createMetrics() : undefined;
  connection = await connectNeo4j(config, logger, {
    observer: metrics?.queryObserver,
    failFast: true,
    restartEmbedded: {
      onRestart: () => metrics?.countEmbeddedRestart(),
      onGiveUp: (message) => {
        logger.fatal({ reason: message }, 'the embedded Neo4j could not be brought back; stopping the service');
        console.error(`error: ${message}`);
        void shutdown('embedded Neo4j could not be restarted', 1);
      },
    },
  });
  try {
    if (config.seedOnStart && (await isDatabaseEmpty(connection.client))) {
      const graph = readSeedGraph();
      await loadSeedGraph(connection.client, graph);
      logger.info({ entities: graph.entities.length, relations: graph.relations.length }, 'database was empty: loaded the seed graph');
    }
    // Constraints and indexes added since the database was made, and what they need of older data.
    await ensureSchema(connection.client);
    const hashed = await connection.client.writeTransaction((tx) => backfillTextHashes(tx));
    if (hashed > 0) logger.info({ documents: hashed }, 'gave older documents the hash of their text');
    metrics?.watchNeo4j(connection.client, config.neo4j.maxPoolSize);
    server = await createServer({ config, client: connection.client, logger, metrics });
    await listen(server, config.host, config.port);
  } catch (error) {
    // Leave no database process behind when the service cannot come up.
    await server?.apollo.stop().catch(() => undefined);
    await connection.close().catch(() => undefined);
    throw error;
  }
  logger.info(
    {
      url: `http://localhost:${config.port}/graphql`,
      env: config.env,
      introspection: config.introspection,
      landingPage: config.landingPage,
      corsOrigins: config.corsOrigins,
      metrics: config.metrics ? `http://localhost:${config.port}/metrics` : 'off',
      writes: new Authenticator(config.auth).configured ? 'need the editor role' : 'closed: no credentials configured (AUTH_API_KEYS)',
    },
    'GraphQL API ready',
  );
}

main().catch((error: unknown) => {
  if (isExpectedStartupError(error)) {
    console.error(`error: ${error.message}`);
  } else {
    createLogger('error').fatal({ err: error }, 'start-up failed');
  }
  process.exit(1);
});
