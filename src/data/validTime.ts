/**
 * Dates in the graph keep the precision of their source (`2022`, `2022-02`, `2022-02-24`), so comparing
 * them means comparing periods: the earliest and latest day a partial date can stand for. These are the
 * Cypher forms of the rules in src/models/dates.ts.
 */
import { periodEndOf, periodStartOf } from '../models/dates';

/** Cypher: the first day of the period a partial date names (null stays null). */
export const periodStart = (expr: string) => `(CASE size(${expr}) WHEN 4 THEN ${expr} + '-01-01' WHEN 7 THEN ${expr} + '-01' ELSE ${expr} END)`;

/** Cypher: a string at or after the last day of the period (`-31` sorts after every real day of a month). */
export const periodEnd = (expr: string) => `(CASE size(${expr}) WHEN 4 THEN ${expr} + '-12-31' WHEN 7 THEN ${expr} + '-31' ELSE ${expr} END)`;

/** The parameters `heldAt` reads: the asked-for period, and whether it reaches today. */
export function asOfParams(asOf: string | null | undefined, today = new Date().toISOString().slice(0, 10)) {
  if (!asOf) return { asOfStart: null, asOfEnd: null, asOfIsCurrent: null };
  return { asOfStart: periodStartOf(asOf), asOfEnd: periodEndOf(asOf), asOfIsCurrent: periodEndOf(asOf) >= today };
}

/**
 * Cypher: relationship `r` between bound nodes `a` and `b` held at `$asOfStart..$asOfEnd` (parameter names
 * after `prefix`, so that one statement can ask several dates), or any time when no date is asked. A fact
 * with a valid-time interval holds inside it. A fact with a point in time holds from then until a later
 * point-in-time fact of the same type between the same two entities replaces it (the latest known
 * figure). An undated fact counts as current: it holds from today on.
 */
export function heldAt(r: string, a: string, b: string, prefix = ''): string {
  const later = `${r}_later`;
  const [start, end, current] = [`$${prefix}asOfStart`, `$${prefix}asOfEnd`, `$${prefix}asOfIsCurrent`];
  return `(${start} IS NULL OR CASE
    WHEN ${r}.pointInTime IS NOT NULL THEN ${periodStart(`${r}.pointInTime`)} <= ${end} AND NOT EXISTS {
      MATCH (${a})-[${later}]-(${b})
      WHERE type(${later}) = type(${r}) AND startNode(${later}) = startNode(${r}) AND ${later}.pointInTime IS NOT NULL
        AND ${periodStart(`${later}.pointInTime`)} > ${periodStart(`${r}.pointInTime`)} AND ${periodStart(`${later}.pointInTime`)} <= ${end} }
    WHEN ${r}.validFrom IS NOT NULL OR ${r}.validTo IS NOT NULL THEN
      coalesce(${periodStart(`${r}.validFrom`)}, '0000') <= ${end} AND coalesce(${periodEnd(`${r}.validTo`)}, '9999') >= ${start}
    ELSE ${current}
  END)`;
}
