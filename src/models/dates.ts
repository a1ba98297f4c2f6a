/**
 * Dates in the graph keep the precision of their source (`2022`, `2022-02`, `2022-02-24`). These are the
 * rules for them in TypeScript; src/data/validTime.ts states the same rules in Cypher.
 */
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

/** The first day of the period a partial date names. */
export function periodStartOf(date: string): string {
  return date.length === 4 ? `${date}-01-01` : date.length === 7 ? `${date}-01` : date;
}

/** A string at or after the last day of the period (`-31` sorts after every real day of a month). */
export function periodEndOf(date: string): string {
  return date.length === 4 ? `${date}-12-31` : date.length === 7 ? `${date}-31` : date;
}
