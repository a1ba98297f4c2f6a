import { Neo4jError } from 'neo4j-driver';

/** Why the database could not serve a statement; each is a SERVICE_UNAVAILABLE for clients. */
export type UnavailableReason = 'down' | 'deadline' | 'timeout';

/**
 * The database cannot serve this statement now: it is down or unreachable, known to be down (the breaker is
 * open), too slow for the request's deadline, or the pool had no connection in time. The driver's error,
 * when there is one, is the `cause`.
 */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';

  constructor(
    message: string,
    readonly reason: UnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Driver codes that mean the database is unreachable or not serving (the driver retries the first two
 * itself); ProtocolError is what a connection cut in the middle of a message can give.
 */
const DOWN_CODES = new Set(['ServiceUnavailable', 'SessionExpired', 'ProtocolError', 'Neo.TransientError.General.DatabaseUnavailable']);

/** Codes of a transaction ended by its timeout: the database is too slow for the deadline. */
const TIMEOUT_CODES =
  /^Neo\.ClientError\.Transaction\.TransactionTimedOut|^Neo\.TransientError\.Transaction\.(LockClientStopped|Terminated)/;

/** The driver's own message for a pool that gave no connection within `connectionAcquisitionTimeout`. */
const ACQUISITION_TIMEOUT = /^Connection acquisition timed out/;

/**
 * The unavailability a driver error means, or null for any other error (a Cypher mistake, a constraint):
 * those are the caller's, and the database is fine.
 */
export function unavailabilityOf(error: unknown): DatabaseUnavailableError | null {
  if (error instanceof DatabaseUnavailableError) return error;
  if (!(error instanceof Error)) return null;
  const code = error instanceof Neo4jError ? error.code : undefined;
  if (code !== undefined && DOWN_CODES.has(code)) {
    return new DatabaseUnavailableError('The graph database is not reachable right now; try again shortly.', 'down', { cause: error });
  }
  if ((code !== undefined && TIMEOUT_CODES.test(code)) || ACQUISITION_TIMEOUT.test(error.message)) {
    return new DatabaseUnavailableError('The graph database is too slow to answer right now; try again shortly.', 'timeout', {
      cause: error,
    });
  }
  return null;
}
