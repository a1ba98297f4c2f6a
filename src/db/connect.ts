import { Neo4jError } from 'neo4j-driver';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from './embedded/embeddedNeo4j';
import { superviseEmbeddedNeo4j } from './embedded/supervisor';
import type { DatabaseGuard } from './breaker';
import { createDriver, Neo4jClient, type QueryObserver } from './neo4jClient';
import { DatabaseUnavailableError } from './unavailable';
import { RESILIENCE_SETTINGS, settingDefaults } from '../limits';

/** A failure to reach the database at start-up, as one line that says what to do. */
export class Neo4jConnectError extends Error {
  override readonly name = 'Neo4jConnectError';
}

export interface Neo4jConnection {
  client: Neo4jClient;
  uri: string;
  embedded: EmbeddedNeo4j | null;
  /** Closes the driver, then stops the embedded database if this process started it. */
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Told when the embedded database dies after it started. */
  onEmbeddedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  observer?: QueryObserver;
  /** Fail statements fast while the database is down, and probe it (the service; not the command-line tools). */
  failFast?: boolean;
  /**
   * Restart the embedded database when it exits or stops answering (src/db/embedded/supervisor.ts), instead
   * of calling `onEmbeddedExit`. Needs `failFast`, whose probe tells when it stops answering.
   */
  restartEmbedded?: { onRestart?: () => void; onGiveUp: (message: string) => void };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

/** Maps the driver's start-up failures to messages a newcomer can act on. */
export function describeConnectError(thrown: unknown, uri: string, database: string | undefined): Neo4jConnectError {
  // The client reports an unreachable database as DatabaseUnavailableError, with the driver's error as cause.
  const error = thrown instanceof DatabaseUnavailableError && thrown.cause !== undefined ? thrown.cause : thrown;
  if (error instanceof Neo4jError) {
    if (error.code === 'Neo.ClientError.Security.Unauthorized' || error.code === 'Neo.ClientError.Security.AuthenticationRateLimit') {
      return new Neo4jConnectError(`Neo4j at ${uri} rejected the credentials: check NEO4J_USERNAME and NEO4J_PASSWORD.`);
    }
    if (error.code === 'Neo.ClientError.Database.DatabaseNotFound') {
      return new Neo4jConnectError(`Database "${database}" does not exist at ${uri}: check NEO4J_DATABASE.`);
    }
    if (error.code === 'ServiceUnavailable' || error.code === 'SessionExpired') {
      return new Neo4jConnectError(
        `Could not reach Neo4j at ${uri} (${firstLine(error.message)}): check NEO4J_URI and that the server is running.`,
      );
    }
  }
  return new Neo4jConnectError(`Could not connect to Neo4j at ${uri}: ${firstLine((error as Error).message ?? String(error))}`);
}

/**
 * Connects to NEO4J_URI when it is set; otherwise provisions and starts the embedded Neo4j and connects
 * to that. Either way the connection is verified before this returns.
 */
export async function connectNeo4j(
  config: Pick<Config, 'neo4j'> & Partial<Pick<Config, 'resilience'>>,
  logger: Logger,
  options: ConnectOptions = {},
): Promise<Neo4jConnection> {
  const target = config.neo4j;
  const resilience = config.resilience ?? settingDefaults(RESILIENCE_SETTINGS);
  let embedded: EmbeddedNeo4j | null = null;
  let uri: string;
  // Set below; the supervisor's callbacks only run once the database has started and the client exists.
  let guard: DatabaseGuard | null = null;
  if (target.mode === 'embedded') {
    logger.info({ dataDir: target.dataDir, boltPort: target.boltPort }, 'starting embedded Neo4j');
    const embeddedOptions = {
      dataDir: target.dataDir,
      boltPort: target.boltPort,
      heapMb: target.heapMb,
      pageCacheMb: target.pageCacheMb,
      cacheDir: target.cacheDir,
      logger,
    };
    const restart = options.restartEmbedded;
    embedded = restart
      ? await superviseEmbeddedNeo4j(embeddedOptions, {
          maxRestarts: resilience.embeddedRestarts,
          watchdogMs: resilience.embeddedWatchdogMs,
          downSince: () => guard?.downSinceMs,
          onDown: (reason) => guard?.hold(reason),
          onUp: () => guard?.release(),
          onRestart: restart.onRestart,
          onGiveUp: restart.onGiveUp,
          logger,
        })
      : await startEmbeddedNeo4j({ ...embeddedOptions, onUnexpectedExit: options.onEmbeddedExit });
    uri = embedded.uri;
  } else {
    uri = target.uri;
  }

  const stopEmbedded = async () => {
    if (embedded) await embedded.stop();
  };
  let client: Neo4jClient;
  try {
    const driver = createDriver({
      uri,
      username: target.mode === 'external' ? target.username : undefined,
      password: target.mode === 'external' ? target.password : undefined,
      maxPoolSize: target.maxPoolSize,
      acquisitionTimeoutMs: resilience.acquisitionTimeoutMs,
    });
    client = new Neo4jClient(driver, {
      database: target.database,
      queryTimeoutMs: target.queryTimeoutMs,
      logger,
      observer: options.observer,
      requestTimeoutMs: resilience.requestTimeoutMs,
      probeIntervalMs: options.failFast ? resilience.probeIntervalMs : undefined,
    });
    guard = client.guard;
    try {
      await driver.verifyConnectivity({ database: target.database });
      // verifyConnectivity does not run a query; this catches a missing database or a refused login early.
      await client.read('RETURN 1 AS ok');
    } catch (error) {
      await driver.close();
      throw describeConnectError(error, uri, target.database);
    }
  } catch (error) {
    await stopEmbedded();
    if (error instanceof Neo4jConnectError) throw error;
    throw new Neo4jConnectError(`NEO4J_URI "${uri}" is not usable: ${firstLine((error as Error).message)}`);
  }
  logger.info({ uri, database: target.database ?? '(default)', embedded: embedded !== null }, 'connected to Neo4j');
  return {
    client,
    uri,
    embedded,
    close: async () => {
      await client.close();
      await stopEmbedded();
    },
  };
}
