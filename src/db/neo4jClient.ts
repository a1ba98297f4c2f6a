import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import type { Logger } from '../logger';
import { ALL_PROPERTIES, type Projection } from '../models/plan';

export type Params = Record<string, unknown>;

/** Counts the Cypher round trips made on behalf of one GraphQL request. Tests assert on it. */
export class QueryCounter {
  count = 0;
}

/** A query observer sees every statement sent, e.g. for metrics. `error` is what the driver threw when `ok` is false. */
export type QueryObserver = (event: { mode: 'READ' | 'WRITE'; durationMs: number; ok: boolean; error?: unknown }) => void;

export interface Neo4jClientOptions {
  database?: string;
  queryTimeoutMs: number;
  logger?: Logger;
  observer?: QueryObserver;
}

/**
 * The only way the service talks to Neo4j. Reads go through read transactions and writes through write
 * transactions, so a cluster routes them correctly; every statement takes its values as parameters.
 */
export class Neo4jClient {
  private running = 0;

  constructor(
    readonly driver: Driver,
    private readonly options: Neo4jClientOptions,
  ) {}

  /** Runs one read statement as a managed read transaction with the configured timeout. */
  async read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}, counter?: QueryCounter): Promise<T[]> {
    return this.run<T>('READ', cypher, params, counter);
  }

  /** Runs one write statement as a managed write transaction. */
  async write<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}, counter?: QueryCounter): Promise<T[]> {
    return this.run<T>('WRITE', cypher, params, counter);
  }

  /**
   * Runs several statements in one write transaction: all of them land, or none. Bulk loads pass a longer
   * timeout than the one meant for interactive queries.
   */
  async writeTransaction<T>(work: (tx: ManagedTransaction) => Promise<T>, timeoutMs = this.options.queryTimeoutMs): Promise<T> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite(work, { timeout: timeoutMs });
    } finally {
      await session.close();
    }
  }

  /** Runs several statements in one read transaction: one consistent view, and nothing can be written. */
  async readTransaction<T>(work: (tx: ManagedTransaction) => Promise<T>, timeoutMs = this.options.queryTimeoutMs): Promise<T> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead(work, { timeout: timeoutMs });
    } finally {
      await session.close();
    }
  }

  /**
   * True while the database answers a trivial query. One auto-commit attempt, no retries: a readiness
   * probe must answer quickly, not wait out the driver's retry window.
   */
  async ping(): Promise<boolean> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
    try {
      await session.run('RETURN 1 AS ok', {}, { timeout: 5_000 });
      return true;
    } catch {
      return false;
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** Statements sent through `read`/`write` that have not finished yet: each holds a pooled connection. */
  get inFlight(): number {
    return this.running;
  }

  private async run<T extends RecordShape>(mode: 'READ' | 'WRITE', cypher: string, params: Params, counter?: QueryCounter): Promise<T[]> {
    if (counter) counter.count += 1;
    const started = performance.now();
    let ok = false;
    let failure: unknown;
    this.running += 1;
    try {
      const result: QueryResult<T> = await this.driver.executeQuery<QueryResult<T>>(cypher, params, {
        database: this.options.database,
        routing: mode,
        transactionConfig: { timeout: this.options.queryTimeoutMs },
      });
      ok = true;
      return result.records.map((record) => record.toObject());
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.running -= 1;
      const durationMs = performance.now() - started;
      this.options.observer?.(ok ? { mode, durationMs, ok } : { mode, durationMs, ok, error: failure });
      this.options.logger?.trace({ mode, durationMs, ok }, 'cypher');
    }
  }
}

/** The database as one request sees it: every read is counted against that request. */
export class RequestDb {
  readonly counter = new QueryCounter();
  /** The properties this request reads of entities and facts; set once the operation is known (src/planner/selection.ts). */
  projection: Projection = ALL_PROPERTIES;

  constructor(private readonly client: Neo4jClient) {}

  read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.client.read<T>(cypher, params, this.counter);
  }
}

export interface DriverTarget {
  uri: string;
  username?: string;
  password?: string;
  maxPoolSize?: number;
}

/** A driver with plain JavaScript numbers for integers: the graph's integers are small counts and years. */
export function createDriver(target: DriverTarget): Driver {
  const auth = target.username !== undefined ? neo4j.auth.basic(target.username, target.password ?? '') : undefined;
  return neo4j.driver(target.uri, auth, {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: target.maxPoolSize ?? 100,
    connectionAcquisitionTimeout: 20_000,
    // Managed transactions retry transient failures (a leader switch, a restart) for this long before
    // giving up; a dashboard would rather get SERVICE_UNAVAILABLE than wait the default 30 s.
    maxTransactionRetryTime: 5_000,
    userAgent: 'geopolitics-knowledge-graph',
  });
}
