import { GraphQLScalarType, Kind } from 'graphql';
import type { DatePrecision } from '../generated/graphql';

const PARTIAL_ISO_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** True for `2022`, `2022-02` and `2022-02-24` when the month and day exist. */
export function isPartialIsoDate(value: string): boolean {
  const match = PARTIAL_ISO_DATE.exec(value);
  if (!match) return false;
  const [, year, month, day] = match;
  if (month === undefined) return true;
  const m = Number(month);
  if (m < 1 || m > 12) return false;
  if (day === undefined) return true;
  const d = Number(day);
  const daysInMonth = new Date(Date.UTC(Number(year), m, 0)).getUTCDate();
  return d >= 1 && d <= daysInMonth;
}

export function precisionOf(value: string | null | undefined): DatePrecision | null {
  if (!value) return null;
  return value.length === 4 ? 'YEAR' : value.length === 7 ? 'MONTH' : 'DAY';
}

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
