import { GraphQLError } from 'graphql';

/**
 * The code of an error that graphql-js or Apollo raised about the request itself, with no code of its own:
 * an operation type the schema does not have, a persisted query whose hash does not match. Such an error is
 * a GraphQLError that wraps no thrown error; a fault of ours while resolving always wraps one.
 */
export function requestErrorCode(original: unknown): 'BAD_REQUEST' | null {
  return original instanceof GraphQLError && !original.originalError && original.extensions.code === undefined ? 'BAD_REQUEST' : null;
}
