/**
 * The "cached" rows: this service with RESPONSE_CACHE=true (a second instance on its own port, same
 * database) on the seed-scale dashboard operations, next to the same run's uncached figure. Their own
 * table, never part of the ratio tables: a cache hit measures the cache, not the query.
 */
import type { LoadGenerator } from './loadgen';
import type { Fixtures, Operation } from './operations';
import type { Measurement, OperationResult } from './report';
import type { RunningTarget } from './targets/common';

export interface CachedRow {
  name: string;
  title: string;
  /** This service without the cache, from the seed matrix of the same run. */
  uncached: Measurement | null;
  /** This service with the cache, or why it was not measured. */
  cached: Measurement | { invalid: string };
}

export interface CachedRunSettings {
  connections: number;
  warmupSec: number;
  durationSec: number;
  rounds: number;
}

/** JSON with object keys sorted, so that answers compare whatever order their keys come in. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/**
 * Measures each operation on the cached instance once its answer is checked against the uncached
 * service's; every measured response must then be that same body (the load generator counts mismatches).
 */
export async function runCachedRows(
  ops: readonly Operation[],
  fixtures: Fixtures,
  uncachedResults: readonly OperationResult[],
  targets: { ours: RunningTarget; cached: RunningTarget },
  loadgen: LoadGenerator,
  settings: CachedRunSettings,
  summarize: (runs: Awaited<ReturnType<LoadGenerator['run']>>[]) => Measurement,
  failures: string[],
): Promise<CachedRow[]> {
  const rows: CachedRow[] = [];
  for (const op of ops) {
    const body = JSON.stringify(op.ours(fixtures));
    const uncachedOutcome = uncachedResults.find((r) => r.name === op.name)?.targets.ours;
    const uncached = uncachedOutcome && 'measured' in uncachedOutcome ? uncachedOutcome.measured : null;
    const answers: string[] = [];
    let expectBody = '';
    for (const target of [targets.ours, targets.cached]) {
      const response = await fetch(target.endpoint(op.name), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expectBody = await response.text();
      const json = JSON.parse(expectBody) as { data?: unknown; errors?: unknown };
      answers.push(json.errors || json.data === undefined ? `errors: ${expectBody.slice(0, 200)}` : canonical(op.answer.ours(json.data)));
    }
    if (answers[0] !== answers[1] || answers[0]!.startsWith('errors')) {
      const invalid = `the cached service's answer differs from the service's: ${answers[1]!.slice(0, 200)}`;
      failures.push(`cached ${op.name}: ${invalid}`);
      rows.push({ name: op.name, title: op.title, uncached, cached: { invalid } });
      continue;
    }
    const request = { url: targets.cached.endpoint(op.name), body, expectBody };
    await loadgen.run({ ...request, connections: settings.connections, durationSec: settings.warmupSec });
    const runs = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      runs.push(await loadgen.run({ ...request, connections: settings.connections, durationSec: settings.durationSec }));
    }
    const cached = summarize(runs);
    if (cached.errors + cached.non2xx + cached.mismatches > 0) {
      failures.push(`cached ${op.name}: ${cached.errors} errors, ${cached.non2xx} non-2xx, ${cached.mismatches} mismatched answers`);
    }
    rows.push({ name: op.name, title: op.title, uncached, cached });
  }
  return rows;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The cached rows as their own Markdown table. */
export function renderCachedRows(rows: readonly CachedRow[]): string {
  if (rows.length === 0) return '';
  const lines = [
    '',
    '## Cached: this service with RESPONSE_CACHE=true (seed scale)',
    '',
    'A second instance of the service with the response cache on, same database, same operations; every answer is checked',
    "against the uncached service's first. Not part of any ratio above: a hit measures the cache, not the query.",
    '',
    '| operation | uncached req/s | uncached p50 / p99 (ms) | cached req/s | cached p50 / p99 (ms) | speed-up |',
    '|---|--:|--:|--:|--:|--:|',
  ];
  for (const row of rows) {
    const u = row.uncached;
    const c = 'rps' in row.cached ? row.cached : null;
    lines.push(
      `| ${row.name} | ${u ? fmt(u.rps) : '–'} | ${u ? `${u.p50.toFixed(1)} / ${u.p99.toFixed(1)}` : '–'} | ${
        c ? fmt(c.rps) : `not measured: ${'invalid' in row.cached ? row.cached.invalid : ''}`
      } | ${c ? `${c.p50.toFixed(1)} / ${c.p99.toFixed(1)}` : '–'} | ${u && c && u.rps > 0 ? `${(c.rps / u.rps).toFixed(1)}×` : '–'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
