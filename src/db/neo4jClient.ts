import neo4j, { type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import { READINESS_TIMEOUT_MS, RESILIENCE_SETTINGS } from '../limits';
import type { Logger } from '../logger';
import { ALL_PROPERTIES, type Projection } from '../models/plan';
import { DatabaseGuard, type DatabaseState } from './breaker';
import { DatabaseUnavailableError, unavailabilityOf } from './unavailable';

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
  /** The deadline of one request's reads (RequestDb). Default: REQUEST_TIMEOUT_MS's default. */
  requestTimeoutMs?: number;
  /**
   * Fail fast while the database is down, probing it this often (src/db/breaker.ts). Off when absent: every
   * statement then waits for the driver.
   */
  probeIntervalMs?: number;
}

/**
 * How long past a statement's own timeout the client waits before giving up on it: a frozen database never
 * sends the timeout error, and an answer must not hang with it.
 */
const DEADLINE_GRACE_MS = 250;

/** The statement ran past the request's deadline, or the database did not answer within it. */
function deadlineExceeded(ms: number): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `The graph database did not answer within the request's deadline (${ms} ms); try again shortly.`,
    'deadline',
  );
}

/**
 * The only way the service talks to Neo4j. Reads go through read transactions and writes through write
 * transactions, so a cluster routes them correctly; every statement takes its values as parameters.
 */
export class Neo4jClient {
  private running = 0;
  /** Fails statements fast while the database is down; null when the client waits for the driver instead. */
  readonly guard: DatabaseGuard | null;
  readonly requestTimeoutMs: number;

  constructor(
    readonly driver: Driver,
    private readonly options: Neo4jClientOptions,
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? RESILIENCE_SETTINGS.requestTimeoutMs.default;
    this.guard =
      options.probeIntervalMs === undefined
        ? null
        : new DatabaseGuard({
            probe: (timeoutMs) => this.probe(timeoutMs),
            probeIntervalMs: options.probeIntervalMs,
            logger: options.logger,
          });
  }

  /**
   * Runs one read statement as a managed read transaction with the configured timeout, shortened to what is
   * left before `deadline` (epoch ms) when one is given.
   */
  async read<T extends RecordShape = RecordShape>(
    cypher: string,
    params: Params = {},
    counter?: QueryCounter,
    deadline?: number,
    requestLogger?: () => Logger,
  ): Promise<T[]> {
    return this.run<T>('READ', cypher, params, counter, deadline, requestLogger);
  }

  /** Runs one write statement as a managed write transaction. */
  async write<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}, counter?: QueryCounter): Promise<T[]> {
    return this.run<T>('WRITE', cypher, params, counter);
  }

  /**
   * Runs several statements in one write transaction: all of them land, or none. Bulk loads pass a longer
   * timeout than the one meant for interactive queries.
   *
   * The driver's managed transaction retries the work when its error is retryable, and that includes a
   * connection lost during COMMIT, when the first attempt may have committed: work that is not idempotent
   * would then apply twice. So a retry is allowed only while the work itself had not finished (the
   * transaction was rolled back); once it has, a failure reaches the caller as SERVICE_UNAVAILABLE, and the
   * write may or may not have landed, whole or not at all.
   */
  async writeTransaction<T>(work: (tx: ManagedTransaction) => Promise<T>, timeoutMs = this.options.queryTimeoutMs): Promise<T> {
    const write = async (): Promise<T> => {
      const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.WRITE });
      let workDone = false;
      try {
        return await session.executeWrite(
          async (tx) => {
            if (workDone) throw commitOutcomeUnknown();
            const value = await work(tx);
            workDone = true;
            return value;
          },
          { timeout: timeoutMs },
        );
      } finally {
        await session.close();
      }
    };
    // The server ends the transaction at its timeout; a frozen server never says so, so the wait here ends
    // too, once the driver's retries could have had their turn.
    const signal = AbortSignal.timeout(timeoutMs + WRITE_RETRY_WINDOW_MS + DEADLINE_GRACE_MS);
    const bounded = () => raceDeadline(write(), signal, () => writeOutcomeUnknown(timeoutMs + WRITE_RETRY_WINDOW_MS));
    try {
      return await (this.guard ? this.guard.run(bounded) : bounded());
    } catch (error) {
      throw unavailabilityOf(error) ?? error;
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
   * True while the database answers a trivial query within `timeoutMs`, false at once while it is known to be
   * down. No retries: a readiness probe must answer quickly, not wait out a retry window.
   */
  async ping(timeoutMs = READINESS_TIMEOUT_MS): Promise<boolean> {
    return (await this.readiness(timeoutMs)).up;
  }

  /** Like `ping`, with the reason when the database is down. */
  async readiness(timeoutMs = READINESS_TIMEOUT_MS): Promise<DatabaseState> {
    if (this.guard && !this.guard.state.up) return this.guard.state;
    try {
      await this.probe(timeoutMs);
      return { up: true };
    } catch (error) {
      return { up: false, reason: (error as Error).message };
    }
  }

  /** Whether the database is known to be down, and why (always up without a guard). */
  get state(): DatabaseState {
    return this.guard?.state ?? { up: true };
  }

  /** One trivial auto-commit query that resolves within `timeoutMs` or fails with DatabaseUnavailableError. */
  private async probe(timeoutMs: number): Promise<void> {
    const session = this.driver.session({ database: this.options.database, defaultAccessMode: neo4j.session.READ });
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      await raceDeadline(
        session.run('RETURN 1 AS ok', {}, { timeout: timeoutMs }),
        signal,
        () => new DatabaseUnavailableError(`The graph database did not answer a probe within ${timeoutMs} ms.`, 'down'),
      );
    } catch (error) {
      // A probe that times out means the database does not answer: down, unlike a slow statement.
      const unavailable = unavailabilityOf(error);
      throw unavailable ? new DatabaseUnavailableError(unavailable.message, 'down', { cause: error }) : error;
    } finally {
      // A session on a frozen database may never close: do not wait for it.
      void session.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    this.guard?.close();
    await this.driver.close();
  }

  /** Statements sent through `read`/`write` that have not finished yet: each holds a pooled connection. */
  get inFlight(): number {
    return this.running;
  }

  private async run<T extends RecordShape>(
    mode: 'READ' | 'WRITE',
    cypher: string,
    params: Params,
    counter?: QueryCounter,
    deadline?: number,
    requestLogger?: () => Logger,
  ): Promise<T[]> {
    if (counter) counter.count += 1;
    const remaining = deadline === undefined ? Infinity : deadline - Date.now();
    if (remaining <= 0) throw deadlineExceeded(this.requestTimeoutMs);
    const timeout = Math.min(this.options.queryTimeoutMs, Math.ceil(remaining));
    const statement = async (): Promise<T[]> => {
      const started = performance.now();
      let ok = false;
      let failure: unknown;
      this.running += 1;
      // The transaction timeout ends the statement on the server; the signal and the race end the wait here
      // when the server cannot say so (frozen, or a dead connection the OS has not noticed).
      const signal = AbortSignal.timeout(timeout + DEADLINE_GRACE_MS);
      try {
        const query = this.driver.executeQuery<QueryResult<T>>(cypher, params, {
          database: this.options.database,
          routing: mode,
          transactionConfig: { timeout },
          signal,
        });
        const result = await raceDeadline(query, signal, () => deadlineExceeded(timeout));
        ok = true;
        return result.records.map((record) => record.toObject());
      } catch (error) {
        failure = error;
        throw error;
      } finally {
        this.running -= 1;
        const durationMs = performance.now() - started;
        this.options.observer?.(ok ? { mode, durationMs, ok } : { mode, durationMs, ok, error: failure });
        // With the request's logger when there is one, so the line carries the request's id.
        const logger = this.options.logger;
        if (logger?.isLevelEnabled('trace')) (requestLogger?.() ?? logger).trace({ mode, durationMs, ok }, 'cypher');
      }
    };
    try {
      return await (this.guard ? this.guard.run(statement) : statement());
    } catch (error) {
      throw unavailabilityOf(error) ?? error;
    }
  }
}

/** The driver's `maxTransactionRetryTime` (createDriver): how long a managed transaction may be retried. */
const WRITE_RETRY_WINDOW_MS = 5_000;

/** The database did not answer a write in time: it was not retried, and it may yet land, whole. */
function writeOutcomeUnknown(ms: number): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    `The graph database did not finish a write within ${ms} ms; it was not retried, and it may or may not have been applied.`,
    'deadline',
  );
}

/** The connection was lost after a write transaction's work finished: COMMIT may or may not have landed. */
function commitOutcomeUnknown(): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    'The graph database connection was lost while a write was committing; it was not retried, and it may or may not have been applied.',
    'down',
  );
}

/** The promise's outcome, or the error `onAbort` makes when the signal aborts first. */
async function raceDeadline<T>(promise: Promise<T>, signal: AbortSignal, onAbort: () => Error): Promise<T> {
  let listener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    listener = () => reject(onAbort());
    if (signal.aborted) listener();
    else signal.addEventListener('abort', listener, { once: true });
  });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    if (listener) signal.removeEventListener('abort', listener);
    // The losing promise may still reject later; nobody waits for it.
    promise.catch(() => undefined);
  }
}

/** The database as one request sees it: every read is counted against that request. */
export class RequestDb {
  readonly counter = new QueryCounter();
  /** The properties this request reads of entities and facts; set once the operation is known (src/planner/selection.ts). */
  projection: Projection = ALL_PROPERTIES;
  /** When the request's reads must have ended (epoch ms): REQUEST_TIMEOUT_MS after the request began. */
  readonly deadline: number;

  /** `logger`: the request's, for the client's per-statement trace lines. */
  constructor(
    private readonly client: Neo4jClient,
    private readonly logger?: () => Logger,
  ) {
    this.deadline = Date.now() + client.requestTimeoutMs;
  }

  read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.client.read<T>(cypher, params, this.counter, this.deadline, this.logger);
  }
}

export interface DriverTarget {
  uri: string;
  username?: string;
  password?: string;
  maxPoolSize?: number;
  /** NEO4J_ACQUISITION_TIMEOUT_MS: the wait for a pooled connection, and to open a new one. */
  acquisitionTimeoutMs?: number;
}

/** A driver with plain JavaScript numbers for integers: the graph's integers are small counts and years. */
export function createDriver(target: DriverTarget): Driver {
  const auth = target.username !== undefined ? neo4j.auth.basic(target.username, target.password ?? '') : undefined;
  return neo4j.driver(target.uri, auth, {
    disableLosslessIntegers: true,
    maxConnectionPoolSize: target.maxPoolSize ?? 100,
    // Short, so that a starved pool or an unreachable server gives SERVICE_UNAVAILABLE, not a hang.
    connectionAcquisitionTimeout: target.acquisitionTimeoutMs ?? RESILIENCE_SETTINGS.acquisitionTimeoutMs.default,
    connectionTimeout: target.acquisitionTimeoutMs ?? RESILIENCE_SETTINGS.acquisitionTimeoutMs.default,
    // Managed transactions retry transient failures (a leader switch, a restart) for this long before
    // giving up; a dashboard would rather get SERVICE_UNAVAILABLE than wait the default 30 s.
    maxTransactionRetryTime: WRITE_RETRY_WINDOW_MS,
    userAgent: 'geopolitics-knowledge-graph',
  });
}
