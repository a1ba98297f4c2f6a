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

/** Rejects an integer argument outside [min, max] with a message that names the argument and the range. */
export function assertIntInRange(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badUserInput(`Argument "${name}" must be an integer from ${min} to ${max}; got ${value}.`, name);
  }
}
