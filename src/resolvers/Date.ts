import { GraphQLScalarType, Kind } from 'graphql';
import { isPartialIsoDate } from '../models/dates';

function parse(value: unknown): string {
  if (typeof value !== 'string' || !isPartialIsoDate(value)) {
    throw new TypeError(`Date must be an ISO 8601 date of the form YYYY, YYYY-MM or YYYY-MM-DD; got ${JSON.stringify(value)}.`);
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'An ISO 8601 date at year, month or day precision.',
  serialize: (value) => parse(value),
  parseValue: (value) => parse(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new TypeError('Date must be a string such as "2022-02".');
    return parse(ast.value);
  },
});
