import { GraphQLError } from 'graphql';

/** The `extensions.code` values clients can rely on. */
export const ErrorCode = {
  BadUserInput: 'BAD_USER_INPUT',
  NotFound: 'NOT_FOUND',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
} as const;

export function badUserInput(message: string, argumentName?: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BadUserInput, ...(argumentName ? { argumentName } : {}) } });
}

/** A problem with one field of an input, at its path (e.g. `input.relations[2].evidence[0].quote`). */
export interface InputProblem {
  path: string;
  message: string;
  /** For an ambiguous name: the ids (or input paths) it could mean. */
  candidates?: string[];
}

/** Every problem of an input in one BAD_USER_INPUT error, so that a client fixes them all in one pass. */
export function invalidInput(problems: readonly InputProblem[]): GraphQLError {
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  return new GraphQLError(`The input has ${problems.length} problem(s): ${list}`, {
    extensions: { code: ErrorCode.BadUserInput, problems },
  });
}

export function notFound(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.NotFound } });
}

/** No credential, or one that is not valid: HTTP 401, with the challenge a client should answer. */
export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.Unauthenticated, http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
  });
}

/** A valid credential without the role the operation needs: HTTP 403. */
export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.Forbidden, http: { status: 403 } } });
}
