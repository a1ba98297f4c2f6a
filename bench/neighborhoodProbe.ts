/**
 * The bench's neighborhood row alone, against whatever graph the database already holds: this service on a
 * loopback port, the bench's neighborhood operation and fixtures, a short autocannon run at the bench's
 * concurrency. For checking the neighborhood bound without the full benchmark (npm run bench).
 *
 *   NEO4J_DATA_DIR=/tmp/syn NEO4J_EMBEDDED_BOLT_PORT=7699 npm run bench:neighborhood -- --seconds 10 [--connections 1]
 *
 * Connects like the service (NEO4J_URI, or the embedded database of NEO4J_DATA_DIR), never seeds.
 */
import { loadConfig } from '../src/config';
import { connectNeo4j } from '../src/db/connect';
import { createLogger } from '../src/logger';
import { chooseFixtures } from './fixtures';
import { LoadGenerator } from './loadgen';
import { OPERATIONS } from './operations';
import { startOurs } from './targets/ours';

/** The bench's concurrency; `--connections 1` shows one request's latency without queueing. */
const BENCH_CONNECTIONS = 8;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

async function main(): Promise<void> {
  const secondsFlag = process.argv.indexOf('--seconds');
  const seconds = secondsFlag > 0 ? Number(process.argv[secondsFlag + 1]) : 10;
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) throw new Error('--seconds must be between 1 and 120');
  const connectionsFlag = process.argv.indexOf('--connections');
  const CONNECTIONS = connectionsFlag > 0 ? Number(process.argv[connectionsFlag + 1]) : BENCH_CONNECTIONS;
  if (!Number.isInteger(CONNECTIONS) || CONNECTIONS < 1 || CONNECTIONS > 64) throw new Error('--connections must be 1 to 64');
  const config = loadConfig({ ...process.env, SEED_ON_START: 'false' });
  const connection = await connectNeo4j(config, createLogger('warn'));
  const loadgen = LoadGenerator.start();
  const target = await startOurs(connection.uri);
  try {
    const fixtures = await chooseFixtures(connection.client, { synthetic: true });
    const operation = OPERATIONS.find((op) => op.name === 'neighborhood')!;
    const body = JSON.stringify(operation.ours(fixtures));
    const probe = await fetch(target.endpoint('neighborhood'), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = (await probe.json()) as { data?: { neighborhood: { truncated: boolean; nodes: unknown[]; relations: unknown[] } } };
    const shape = answer.data?.neighborhood;
    console.log(
      `centre ${fixtures.entityId}: ${shape?.nodes.length} nodes, ${shape?.relations.length} relations, truncated ${shape?.truncated}`,
    );
    await loadgen.run({ url: target.endpoint('neighborhood'), body, connections: CONNECTIONS, durationSec: 2 });
    const result = await loadgen.run({ url: target.endpoint('neighborhood'), body, connections: CONNECTIONS, durationSec: seconds });
    const sorted = [...result.latencies].sort((a, b) => a - b);
    console.log(
      `${CONNECTIONS} connections, ${seconds} s: ${result.ok} answers, ${(result.ok / (result.durationMs / 1000)).toFixed(1)} req/s, ` +
        `p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms, max ${sorted.at(-1)} ms, errors ${result.errors + result.non2xx}`,
    );
  } finally {
    await target.stop();
    await loadgen.stop();
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
