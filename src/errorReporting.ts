/**
 * What clients see of an error, and what the log keeps. Clients get a code and a message they can act on,
 * never a stack trace or a driver internal. Errors we did not raise on purpose are logged in full, with
 * the request's id (its context's logger), and reach the client as a generic internal error.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { unavailabilityOf } from './db/unavailable';
import { ErrorCode } from './errors';
import type { Logger } from './logger';
import { requestErrorCode } from './requestErrors';

/** An error none of our code raised on purpose: no code of its own, not an outage, not a malformed request. */
function isUnexpected(original: unknown, code: unknown): boolean {
  if (unavailabilityOf(original) || requestErrorCode(original)) return false;
  return code === ApolloServerErrorCode.INTERNAL_SERVER_ERROR || code === undefined;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  const unavailable = unavailabilityOf(original);
  if (unavailable) {
    return { message: unavailable.message, path: formatted.path, extensions: { code: ErrorCode.ServiceUnavailable } };
  }
  const requestCode = requestErrorCode(original);
  if (requestCode) {
    return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions: { code: requestCode } };
  }
  if (isUnexpected(original, formatted.extensions?.code)) {
    return { message: 'Internal server error', path: formatted.path, extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR } };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}

/** Logs, in full, each error of a result that `formatError` hides from the client. */
export function logUnexpectedErrors(logger: Logger, errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    const original = unwrapResolverError(error);
    if (isUnexpected(original, error.extensions?.code))
      logger.error({ err: original, path: error.path }, 'unexpected error while resolving');
  }
}

/** The Apollo side of `logUnexpectedErrors`: with the request's own logger, so the line carries its id. */
export function unexpectedErrorLogging<TContext extends { logger: Logger }>(fallback: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          // Errors before the context exists (a body Apollo cannot read) have only the service's logger.
          logUnexpectedErrors((contextValue as Partial<TContext> | undefined)?.logger ?? fallback, errors);
        },
      };
    },
  };
}
