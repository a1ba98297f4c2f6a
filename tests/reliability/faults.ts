/**
 * npm run test:faults: faults under load, with ingestion running, loopback only, bounded in time.
 *
 * 1. The service as `npm start` runs it, with its embedded Neo4j: the JVM is killed (SIGKILL), and later
 *    frozen (SIGSTOP) for 10 s.
 * 2. An external database: the Neo4j launcher started by this script as a process of its own, the service
 *    pointed at it through a `neo4j://` routing URI (routing table, reads as READ, writes as WRITE); the
 *    database is stopped, and started again 10 s later.
 *
 * Each time it checks that the service never exits; that every error is SERVICE_UNAVAILABLE (no other code,
 * no 5xx, no stack trace, no hang) and comes within the request deadline, and within 1 s once the database
 * is known to be down; that reads succeed again within RECOVERY_MS of the database being back; and that
 * every acknowledged ingestion is in the graph whole afterwards and none is half-present. `--out FILE`
 * writes the figures as JSON. Exits 1 on any failed check.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/db/embedded/embeddedNeo4j';
import { RESILIENCE_SETTINGS } from '../../src/limits';
import { isAlive, ServiceProcess } from '../helpers/service';
import { ingestionStates, machine, publish, runScript, startTraffic, summarize, type Ingestion, type Sample } from './traffic';

const READERS = 16;
const API_KEY = `fault-test-editor-${'k'.repeat(32)}`;
/**
 * Reads succeed again within this long after the database is back. A restarted JVM is cold (every query is
 * planned and compiled again), which on 2 shared cores takes tens of seconds.
 */
const RECOVERY_MS = 30_000;
/** Once the database has been down this long, it is known to be: requests must fail within FAIL_FAST_MS. */
const DETECTION_MS = 8_000;
const FAIL_FAST_MS = 1_000;
const DEADLINE_MS = RESILIENCE_SETTINGS.requestTimeoutMs.default;
const FREEZE_MS = 10_000;
const EXTERNAL_DOWN_MS = 10_000;
/** The most a part's traffic runs; it is ended as soon as the part's faults are over. */
const TRAFFIC_MAX_MS = 240_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface FaultReport {
  fault: string;
  /** When the database went bad, was known down by the service, and was back (ms since the epoch). */
  faultAt: number;
  backAt: number;
  recoveryMs: number | null;
  errors: Record<string, number>;
  /** The slowest error, and the slowest request started while the database was known to be down. */
  slowestErrorMs: number;
  slowestWhileKnownDownMs: number | null;
  readinessMaxMs: number | null;
  failures: string[];
}

/** The checks one fault must pass, over the samples taken while it lasted and until the service recovered. */
function judge(fault: string, samples: readonly Sample[], faultAt: number, backAt: number, readiness: number[]): FaultReport {
  const during = samples.filter((s) => s.end >= faultAt && s.start <= backAt + RECOVERY_MS);
  const errors: Record<string, number> = {};
  for (const s of during) if (s.code !== 'ok') errors[s.code] = (errors[s.code] ?? 0) + 1;
  const failed = during.filter((s) => s.code !== 'ok');
  const knownDown = during.filter((s) => s.start >= faultAt + DETECTION_MS && s.end <= backAt);
  const firstOk = samples.filter((s) => s.code === 'ok' && s.start >= backAt).sort((a, b) => a.end - b.end)[0];
  const recoveryMs = firstOk ? Math.max(0, firstOk.end - backAt) : null;
  const slowestErrorMs = Math.max(0, ...failed.map((s) => s.end - s.start));
  const slowestWhileKnownDownMs = knownDown.length > 0 ? Math.max(...knownDown.map((s) => s.end - s.start)) : null;
  const failures = [
    ...Object.keys(errors)
      .filter((code) => code !== 'SERVICE_UNAVAILABLE')
      .map((code) => `${errors[code]} answers with ${code}, not SERVICE_UNAVAILABLE`),
    during.some((s) => s.stack) && 'an answer carried a stack trace',
    slowestErrorMs > DEADLINE_MS + 2_000 && `an error took ${slowestErrorMs} ms, past the ${DEADLINE_MS} ms deadline`,
    slowestWhileKnownDownMs !== null &&
      slowestWhileKnownDownMs > FAIL_FAST_MS &&
      `a request took ${slowestWhileKnownDownMs} ms while the database was known to be down`,
    recoveryMs === null && 'reads never succeeded again',
    recoveryMs !== null && recoveryMs > RECOVERY_MS && `reads succeeded again only ${recoveryMs} ms after the database was back`,
    readiness.some((ms) => ms > 2_000) && `/health/ready took ${Math.max(...readiness)} ms`,
  ].filter((f): f is string => typeof f === 'string');
  return {
    fault,
    faultAt,
    backAt,
    recoveryMs,
    errors,
    slowestErrorMs,
    slowestWhileKnownDownMs,
    readinessMaxMs: readiness.length > 0 ? Math.max(...readiness) : null,
    failures,
  };
}

/** Polls /health/ready every 500 ms until `untilMs`, returning how long each answer took. */
async function watchReadiness(url: string, untilMs: number): Promise<number[]> {
  const times: number[] = [];
  while (Date.now() < untilMs) {
    const started = Date.now();
    await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    times.push(Date.now() - started);
    await sleep(500);
  }
  return times;
}

function ingestionChecks(ingestions: readonly Ingestion[], states: Map<number, string>) {
  const lost = ingestions.filter((i) => i.acknowledged && states.get(i.n) !== 'whole').map((i) => i.n);
  const half = ingestions.filter((i) => states.get(i.n) === 'half').map((i) => i.n);
  const codes: Record<string, number> = {};
  for (const i of ingestions) codes[i.sample.code] = (codes[i.sample.code] ?? 0) + 1;
  return { sent: ingestions.length, acknowledged: ingestions.filter((i) => i.acknowledged).length, codes, lost, halfPresent: half };
}

function serviceEnv(port: number, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PORT: String(port), HOST: '127.0.0.1', AUTH_API_KEYS: `faulttest:editor:${API_KEY}`, LOG_LEVEL: 'info', ...extra };
}

/** The latest pid of the embedded JVM, from the service's log. */
function embeddedPid(service: ServiceProcess): number {
  const starts = service.logs().filter((l) => l.msg === 'Starting embedded Neo4j' && typeof l.pid === 'number');
  return starts.at(-1)!.pid as number;
}

/** The service's error lines, when a check failed: what the client saw as an error, the service logged whole. */
function printErrorLogs(service: ServiceProcess, reports: readonly FaultReport[]): void {
  if (reports.every((r) => r.failures.length === 0)) return;
  for (const line of service.logs().filter((l) => Number(l.level) >= 50)) console.error(`service: ${JSON.stringify(line)}`);
}

const logTime = (line: Record<string, unknown> | undefined) => (line ? Date.parse(String(line.time)) : NaN);

async function embeddedFaults(
  workDir: string,
): Promise<{ reports: FaultReport[]; reads: ReturnType<typeof summarize>; ingestion: object }> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const service = new ServiceProcess(
    serviceEnv(port, { NEO4J_DATA_DIR: path.join(workDir, 'embedded'), NEO4J_EMBEDDED_BOLT_PORT: String(await findFreePort()) }),
  );
  try {
    await service.waitForLog(/GraphQL API ready/, 180_000);
    // At most this long; the traffic stops once the faults are over.
    const { started, window, readers, ingester } = await startTraffic(url, API_KEY, 'faults-embedded', READERS, TRAFFIC_MAX_MS);

    // 1. SIGKILL.
    await sleep(5_000);
    const killAt = Date.now();
    process.kill(embeddedPid(service), 'SIGKILL');
    const killReadiness = watchReadiness(url, killAt + 8_000);
    await service.waitForLog(/^the embedded Neo4j was restarted$/, 120_000);
    const restartedAt = logTime(service.logs().find((l) => l.msg === 'the embedded Neo4j was restarted'));
    await service.waitForLog(/^the graph database is back$/, RECOVERY_MS).catch(() => undefined);
    await sleep(5_000);

    // 2. SIGSTOP for 10 s.
    const frozenPid = embeddedPid(service);
    const freezeAt = Date.now();
    process.kill(frozenPid, 'SIGSTOP');
    const freezeReadiness = watchReadiness(url, freezeAt + FREEZE_MS);
    await sleep(FREEZE_MS);
    process.kill(frozenPid, 'SIGCONT');
    const thawAt = Date.now();
    await sleep(RECOVERY_MS);
    window.until = Date.now();

    const [samples, ingestions] = await Promise.all([readers, ingester]);
    const all = [...samples, ...ingestions.map((i) => i.sample)];
    const reports = [
      judge('embedded Neo4j killed (SIGKILL)', all, killAt, restartedAt, await killReadiness),
      judge('embedded Neo4j frozen (SIGSTOP) for 10 s', all, freezeAt, thawAt, await freezeReadiness),
    ];
    const states = await ingestionStates(url, ingestions);
    const ingestion = ingestionChecks(ingestions, states);
    if (!isAlive(service.pid)) reports[0]!.failures.push('the service exited');
    printErrorLogs(service, reports);
    return { reports, reads: summarize(samples, (Date.now() - started) / 1000), ingestion };
  } finally {
    await service.killAll();
  }
}

async function externalFaults(
  workDir: string,
): Promise<{ reports: FaultReport[]; reads: ReturnType<typeof summarize>; ingestion: object }> {
  const dataDir = path.join(workDir, 'external');
  const boltPort = await findFreePort();
  const launch = () => startEmbeddedNeo4j({ dataDir, boltPort, heapMb: 512, pageCacheMb: 128 });
  let database: EmbeddedNeo4j | null = await launch();
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const service = new ServiceProcess(serviceEnv(port, { NEO4J_URI: `neo4j://127.0.0.1:${boltPort}`, SEED_ON_START: 'true' }));
  try {
    await service.waitForLog(/GraphQL API ready/, 180_000);
    const { started, window, readers, ingester } = await startTraffic(url, API_KEY, 'faults-external', READERS, TRAFFIC_MAX_MS);

    await sleep(5_000);
    const downAt = Date.now();
    await database.stop();
    database = null;
    const downReadiness = watchReadiness(url, downAt + EXTERNAL_DOWN_MS);
    await sleep(EXTERNAL_DOWN_MS);
    database = await launch();
    const upAt = Date.now();
    await sleep(RECOVERY_MS);
    window.until = Date.now();

    const [samples, ingestions] = await Promise.all([readers, ingester]);
    const all = [...samples, ...ingestions.map((i) => i.sample)];
    const reports = [judge('external Neo4j (neo4j:// routing) stopped for 10 s and started again', all, downAt, upAt, await downReadiness)];
    const ingestion = ingestionChecks(ingestions, await ingestionStates(url, ingestions));
    if (!isAlive(service.pid)) reports[0]!.failures.push('the service exited');
    printErrorLogs(service, reports);
    return { reports, reads: summarize(samples, (Date.now() - started) / 1000), ingestion };
  } finally {
    await service.killAll();
    await database?.stop();
  }
}

async function main(): Promise<number> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'kg-faults-'));
  try {
    // FAULTS=embedded or FAULTS=external runs one part alone (the other reports nothing).
    const only = process.env.FAULTS;
    const skipped = { reports: [], reads: summarize([], 1), ingestion: { sent: 0, acknowledged: 0, codes: {}, lost: [], halfPresent: [] } };
    const embedded = only === 'external' ? skipped : await embeddedFaults(workDir);
    const external = only === 'embedded' ? skipped : await externalFaults(workDir);
    const report = {
      stated: { deadlineMs: DEADLINE_MS, failFastMs: FAIL_FAST_MS, detectionMs: DETECTION_MS, recoveryMs: RECOVERY_MS, readinessMs: 2_000 },
      embedded,
      external,
      machine: machine(),
    };
    const failures = [
      ...[...embedded.reports, ...external.reports].flatMap((r) => r.failures.map((f) => `${r.fault}: ${f}`)),
      ...[
        ['embedded', embedded.ingestion],
        ['external', external.ingestion],
      ].flatMap(([name, i]) => {
        const { lost, halfPresent } = i as { lost: number[]; halfPresent: number[] };
        return [
          ...(lost.length > 0 ? [`${name}: acknowledged ingestions not whole afterwards: ${lost.join(', ')}`] : []),
          ...(halfPresent.length > 0 ? [`${name}: half-present ingestions: ${halfPresent.join(', ')}`] : []),
        ];
      }),
    ];
    return publish('test:faults', report, failures);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

runScript(main);
