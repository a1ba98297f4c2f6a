/**
 * npm run test:load: the service as `npm start` runs it (a child process, its own embedded Neo4j in a
 * throwaway folder, the seed graph), 64 connections of dashboard reads (README.md's queries) and one
 * ingestion a second, for LOAD_SECONDS (default 30). Loopback only. It reports requests, errors, and p50,
 * p99 and max latency, checks that every acknowledged ingestion is in the graph whole, and exits 1 on any
 * error. `--out FILE` writes the figures as JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../src/db/embedded/embeddedNeo4j';
import { ServiceProcess } from '../helpers/service';
import { ingestionStates, machine, publish, runIngester, runScript, startTraffic, summarize } from './traffic';

const CONNECTIONS = 64;
const API_KEY = `load-test-editor-${'k'.repeat(32)}`;

async function main(): Promise<number> {
  const seconds = Number(process.env.LOAD_SECONDS ?? 30);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 600) throw new Error('LOAD_SECONDS must be 1 to 600');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kg-load-'));
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const service = new ServiceProcess({
    PORT: String(port),
    HOST: '127.0.0.1',
    NEO4J_DATA_DIR: path.join(dataDir, 'neo4j'),
    NEO4J_EMBEDDED_BOLT_PORT: String(await findFreePort()),
    AUTH_API_KEYS: `loadtest:editor:${API_KEY}`,
    // At info the service logs its life, not each request.
    LOG_LEVEL: 'info',
  });
  try {
    await service.waitForLog(/GraphQL API ready/, 180_000);
    // An ingestion or two first, so that the run measures a warm write path too.
    await runIngester(url, API_KEY, `warmup-${Date.now()}`, 500, { until: Date.now() + 2_000 });
    const { started, readers, ingester } = await startTraffic(url, API_KEY, 'load', CONNECTIONS, seconds * 1_000);
    const [reads, ingestions] = await Promise.all([readers, ingester]);
    const elapsed = (Date.now() - started) / 1_000;
    const readSummary = summarize(reads, elapsed);
    const ingestSummary = summarize(
      ingestions.map((i) => i.sample),
      elapsed,
    );
    const states = await ingestionStates(url, ingestions);
    const lost = ingestions.filter((i) => i.acknowledged && states.get(i.n) !== 'whole').map((i) => i.n);
    const half = ingestions.filter((i) => states.get(i.n) === 'half').map((i) => i.n);
    const stacks = [...reads, ...ingestions.map((i) => i.sample)].filter((s) => s.stack).length;
    const report = {
      seconds: Math.round(elapsed),
      connections: CONNECTIONS,
      reads: readSummary,
      ingestions: { ...ingestSummary, acknowledged: ingestions.filter((i) => i.acknowledged).length, lost, halfPresent: half },
      stackTraces: stacks,
      serviceAlive: (await fetch(`${url}/health/live`)).status === 200,
      machine: machine(),
    };
    const failures = [
      readSummary.errors > 0 && `${readSummary.errors} read errors: ${JSON.stringify(readSummary.codes)}`,
      ingestSummary.errors > 0 && `${ingestSummary.errors} ingestion errors: ${JSON.stringify(ingestSummary.codes)}`,
      lost.length > 0 && `acknowledged ingestions not whole in the graph: ${lost.join(', ')}`,
      half.length > 0 && `half-present ingestions: ${half.join(', ')}`,
      stacks > 0 && `${stacks} answers carried a stack trace`,
      !report.serviceAlive && 'the service is not alive',
    ].filter(Boolean);
    if (failures.length > 0) {
      for (const line of service.logs().filter((l) => Number(l.level) >= 50)) console.error(`service: ${JSON.stringify(line)}`);
    }
    return publish('test:load', report, failures as string[]);
  } finally {
    await service.killAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runScript(main);
