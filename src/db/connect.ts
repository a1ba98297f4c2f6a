import { Neo4jError } from 'neo4j-driver';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { startEmbeddedNeo4j, type EmbeddedNeo4j } from './embedded/embeddedNeo4j';
import { createDriver, Neo4jClient, type QueryObserver } from './neo4jClient';

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
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? text;
}

/** Maps the driver's start-up failures to messages a newcomer can act on. */
export function describeConnectError(error: unknown, uri: string, database: string | undefined): Neo4jConnectError {
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
export async function connectNeo4j(config: Pick<Config, 'neo4j'>, logger: Logger, options: ConnectOptions = {}): Promise<Neo4jConnection> {
  const target = config.neo4j;
  let embedded: EmbeddedNeo4j | null = null;
  let uri: string;
  if (target.mode === 'embedded') {
    logger.info({ dataDir: target.dataDir, boltPort: target.boltPort }, 'starting embedded Neo4j');
    embedded = await startEmbeddedNeo4j({
      dataDir: target.dataDir,
      boltPort: target.boltPort,
      heapMb: target.heapMb,
      pageCacheMb: target.pageCacheMb,
      cacheDir: target.cacheDir,
      logger,
      onUnexpectedExit: options.onEmbeddedExit,
    });
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
    });
    client = new Neo4jClient(driver, {
      database: target.database,
      queryTimeoutMs: target.queryTimeoutMs,
      logger,
      observer: options.observer,
    });
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
