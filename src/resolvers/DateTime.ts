import { GraphQLScalarType, Kind } from 'graphql';

/** An ISO 8601 instant with an offset: `2026-12-01T21:55:49.123Z` or `2026-12-01T22:55:49+01:00`. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function parse(value: unknown): string {
  if (typeof value !== 'string' || !INSTANT.test(value) || Number.isNaN(Date.parse(value))) {
    throw new TypeError(`DateTime must be an ISO 8601 instant with an offset, e.g. "2026-12-01T21:55:49Z"; got ${JSON.stringify(value)}.`);
  }
  return value;
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant in time in ISO 8601 with an offset, always UTC from this service: `2026-12-01T21:55:49.123Z`.',
  serialize: (value) => parse(value),
  parseValue: (value) => parse(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('DateTime must be a string such as "2026-12-01T21:55:49Z".');
    return parse(ast.value);
  },
});
