/** Summaries of load-generator runs, shared by the operation matrix and the overhead row. */
import type { LoadResult } from './loadgen';
import type { Measurement } from './report';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(runs: LoadResult[]): Measurement {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const ok = runs.reduce((sum, r) => sum + r.ok, 0);
  const seconds = runs.reduce((sum, r) => sum + r.durationMs / 1000, 0);
  return {
    rps: seconds > 0 ? ok / seconds : 0,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: ok,
    roundsRps: runs.map((r) => (r.durationMs > 0 ? Math.round(r.ok / (r.durationMs / 1000)) : 0)),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    mismatches: runs.reduce((sum, r) => sum + r.mismatches, 0),
  };
}

/** Rotates a list left by `by`: round-robin runs start with a different target each round. */
export const rotate = <T>(items: readonly T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length]!);
