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
