/**
 * The overhead row: `{ __typename }`, which reads nothing, on this service, on a bare Apollo Server 5 and on
 * the floor's bare endpoint (plus @neo4j/graphql's Apollo when it runs), side by side. What is left is the
 * fixed cost of a request: HTTP, middleware, context, the GraphQL pipeline, plugins.
 *
 * `npx tsx bench/overhead.ts [--seconds 6] [--rounds 2] [--connections 8] [--profile]` runs it alone (no
 * database needed: nothing is read), and with --profile writes a CPU profile of this process while the
 * service is driven and prints where its time goes.
 */
import './env';
import { profileDuring, saveAndSummarise } from './cpuProfile';
import { LoadGenerator, type LoadResult } from './loadgen';
import { rotate, summarize } from './measure';
import type { Operation } from './operations';
import type { Measurement } from './report';
import { startBareApollo } from './targets/bareApollo';
import type { RunningTarget } from './targets/common';
import { startFloor } from './targets/floor';
import { startOurs } from './targets/ours';

const TYPENAME = { query: '{ __typename }', variables: {} };

/** The floor's side of the row: an operation that answers without running any Cypher. */
export const OVERHEAD_OPERATION: Operation = {
  name: 'overhead',
  title: '`{ __typename }`: the fixed cost of a request',
  ours: () => TYPENAME,
  neo4jGraphql: () => TYPENAME,
  floor: { variables: () => ({}), run: async () => ({ __typename: 'Query' }) },
  answer: { ours: (data) => data, neo4jGraphql: (data) => data, floor: (data) => data },
};

export const OVERHEAD_TARGETS = ['ours', 'bareApollo', 'floor', 'neo4jGraphql'] as const;
export type OverheadTarget = (typeof OVERHEAD_TARGETS)[number];
export const OVERHEAD_LABELS: Record<OverheadTarget, string> = {
  ours: 'this service',
  bareApollo: 'bare Apollo Server 5 (startStandaloneServer)',
  floor: "the floor's bare node:http endpoint",
  neo4jGraphql: '@neo4j/graphql on Apollo Server 5 + Express 5',
};

/** A target's figures, and the CPU time this process spent per request serving them (µs, user + system). */
export type OverheadMeasurement = Measurement & { cpuUsPerRequest: number };
export type OverheadResult = Partial<Record<OverheadTarget, OverheadMeasurement>>;

export interface OverheadSettings {
  connections: number;
  warmupSec: number;
  durationSec: number;
  rounds: number;
}

/** The body each target answers `{ __typename }` with, so every response is checked. */
function expectedBody(target: OverheadTarget): string {
  return JSON.stringify({ data: { __typename: 'Query' } }) + (target === 'floor' ? '' : '\n');
}

/**
 * Measures `{ __typename }` on each target: a warm-up each, then `rounds` runs each, round-robin with a
 * different target first each round. Answers are checked on every response (autocannon's expectBody).
 */
export async function measureOverhead(
  targets: Partial<Record<OverheadTarget, RunningTarget>>,
  loadgen: LoadGenerator,
  settings: OverheadSettings,
  between: () => Promise<void> = async () => {},
): Promise<OverheadResult> {
  const live = OVERHEAD_TARGETS.filter((t) => targets[t]);
  const request = (target: OverheadTarget) => ({
    url: targets[target]!.endpoint(OVERHEAD_OPERATION.name),
    body: JSON.stringify(target === 'floor' ? {} : TYPENAME),
    expectBody: expectedBody(target),
    connections: settings.connections,
  });
  for (const target of live) {
    const answer = await fetch(request(target).url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: request(target).body,
    });
    const text = await answer.text();
    if (text !== request(target).expectBody) throw new Error(`${target} answered { __typename } with ${text}`);
    await loadgen.run({ ...request(target), durationSec: settings.warmupSec });
    await between();
  }
  const runs: Partial<Record<OverheadTarget, LoadResult[]>> = {};
  const cpuUs: Partial<Record<OverheadTarget, number>> = {};
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const target of rotate(live, round)) {
      // The load generator is another process: this process's CPU time is the targets' (one at a time).
      const before = process.cpuUsage();
      (runs[target] ??= []).push(await loadgen.run({ ...request(target), durationSec: settings.durationSec }));
      const used = process.cpuUsage(before);
      cpuUs[target] = (cpuUs[target] ?? 0) + used.user + used.system;
      await between();
    }
  }
  return Object.fromEntries(
    live.map((target) => {
      const measured = summarize(runs[target]!);
      return [target, { ...measured, cpuUsPerRequest: measured.requests > 0 ? cpuUs[target]! / measured.requests : NaN }];
    }),
  );
}

export function overheadLines(result: OverheadResult): string[] {
  const bare = result.bareApollo?.rps;
  return OVERHEAD_TARGETS.filter((t) => result[t]).map((target) => {
    const m = result[target]!;
    const ratio = bare && target !== 'bareApollo' ? `  ${(m.rps / bare).toFixed(2)}× bare Apollo` : '';
    const trouble = m.errors + m.non2xx + m.mismatches > 0 ? ` (${m.errors} err, ${m.non2xx} non-2xx, ${m.mismatches} mismatched)` : '';
    return `${OVERHEAD_LABELS[target].padEnd(48)} ${Math.round(m.rps).toString().padStart(6)} req/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  CPU ${m.cpuUsPerRequest.toFixed(0)} µs/req  rounds ${m.roundsRps.join(', ')}${ratio}${trouble}`;
  });
}

function flag(argv: string[], name: string, fallback: number): number {
  const at = argv.indexOf(name);
  return at >= 0 ? Number(argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const settings: OverheadSettings = {
    connections: flag(argv, '--connections', 8),
    warmupSec: 1,
    durationSec: flag(argv, '--seconds', 6),
    rounds: flag(argv, '--rounds', 2),
  };
  // `{ __typename }` reads nothing: the service's driver never connects, so no database is needed.
  const uri = process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7';
  const targets = { ours: await startOurs(uri), bareApollo: await startBareApollo(), floor: await startFloor(uri, [OVERHEAD_OPERATION]) };
  const loadgen = LoadGenerator.start();
  try {
    const result = await measureOverhead(targets, loadgen, settings);
    for (const line of overheadLines(result)) console.log(line);
    if (argv.includes('--profile')) {
      const { result: run, profile } = await profileDuring(() =>
        loadgen.run({
          url: targets.ours.endpoint('overhead'),
          body: JSON.stringify(TYPENAME),
          connections: settings.connections,
          durationSec: settings.durationSec,
        }),
      );
      await saveAndSummarise(profile, 'overhead', `CPU profile of this service serving ${run.ok} requests of { __typename }`, 40);
    }
  } finally {
    await loadgen.stop();
    for (const target of Object.values(targets)) await target.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
