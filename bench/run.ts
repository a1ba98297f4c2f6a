/**
 * `npm run bench`: this service against @neo4j/graphql 7 and a raw-Cypher floor, on one embedded Neo4j,
 * at the seed scale and at 100k entities / 1M relations; a latency scaling curve; bulk ingestion
 * throughput. Writes bench/results/{results.json,results.md,chart.svg} and prints PASS/FAIL per row.
 *
 * `npm run bench -- --smoke`: the same code paths at a tiny scale with short runs, in well under two
 * minutes, writing to a temporary folder (or --out DIR). Exits non-zero only when the harness breaks
 * (a crash, a target that cannot start, answers that disagree), never for a missed performance target.
 *
 * See bench/README.md for the method and the findings.
 */
import './env';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/db/embedded/embeddedNeo4j';
import { NEO4J_VERSION, repoRoot } from '../src/db/embedded/provision';
import { createDriver, Neo4jClient } from '../src/db/neo4jClient';
import type { EntityKind } from '../src/generated/graphql';
import { loadSeedGraph } from '../src/seed/load';
import { clearSyntheticGraph, RELATION_VARIANTS, writeSyntheticGraph, type SyntheticProgress } from '../src/seed/synthetic';
import { readSeedGraph } from '../src/seed/validate';
import { APOC_VERSION, provisionApoc } from './apoc';
import { renderCachedRows, runCachedRows, type CachedRow } from './cached';
import { chooseFixtures } from './fixtures';
import { LoadGenerator, type IngestJob, type LoadResult } from './loadgen';
import { percentile, rotate, summarize } from './measure';
import { measureOverhead, OVERHEAD_OPERATION, overheadLines, type OverheadResult } from './overhead';
import { OPERATIONS, SCALING_OPERATIONS, type Fixtures, type Operation } from './operations';
import {
  API_INGESTION_TARGET,
  type ApiIngestionResult,
  checkLines,
  computeChecks,
  overheadCheck,
  renderMarkdown,
  renderSvg,
  TARGETS,
  type BenchResults,
  type IngestionResult,
  type OperationResult,
  type ScaleResult,
  type ScalingPoint,
  type TargetName,
  type TargetOutcome,
} from './report';
import type { RunningTarget } from './targets/common';
import { startBareApollo } from './targets/bareApollo';
import { startFloor } from './targets/floor';
import { startNeo4jGraphql } from './targets/neo4jGraphql';
import { fieldCount, relationDomain, type KindPair, type RelationDomain } from './targets/neo4jGraphqlTypeDefs';
import { BENCH_EDITOR_KEY, startOurs } from './targets/ours';

interface Settings {
  /** Concurrent connections per measured run. */
  connections: number;
  warmupSec: number;
  /** Length of one measured run; each target runs `rounds` of them per operation, interleaved. */
  durationSec: number;
  rounds: number;
  scalingWarmupSec: number;
  scalingDurationSec: number;
  /** [entities, relations] of the synthetic graphs of the scaling curve, smallest first. */
  curve: [number, number][];
  /** Which point of the curve also gets the full operation matrix (-1: none). */
  matrixAt: number;
  /** Which point of the curve gets the ingestion-through-the-API row, and its size. */
  apiIngestion: { at: number; connections: number; warmupDocuments: number; documents: number; relationsPerDocument: number };
  heapMb: number;
  pageCacheMb: number;
}

const FULL: Settings = {
  connections: 8,
  warmupSec: 1,
  durationSec: 3,
  rounds: 2,
  scalingWarmupSec: 0.5,
  scalingDurationSec: 1.5,
  curve: [
    [1_000, 10_000],
    [10_000, 100_000],
    [100_000, 1_000_000],
  ],
  matrixAt: 2,
  apiIngestion: { at: 2, connections: 8, warmupDocuments: 16, documents: 400, relationsPerDocument: 30 },
  heapMb: 2048,
  pageCacheMb: 2048,
};

/** Every operation on every target at the seed scale, one tiny synthetic scale for the curve and ingestion. */
const SMOKE: Settings = {
  connections: 4,
  warmupSec: 0.2,
  durationSec: 0.3,
  rounds: 1,
  scalingWarmupSec: 0.1,
  scalingDurationSec: 0.3,
  curve: [[100, 500]],
  matrixAt: -1,
  apiIngestion: { at: 0, connections: 4, warmupDocuments: 4, documents: 12, relationsPerDocument: 30 },
  heapMb: 1024,
  pageCacheMb: 512,
};

interface Args {
  smoke: boolean;
  out: string | null;
  /** Skip the synthetic scales (seed matrix only). */
  seedOnly: boolean;
  /** Only these operations (by name). */
  only: string[] | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { smoke: false, out: null, seedOnly: false, only: null };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--smoke') args.smoke = true;
    else if (arg === '--seed-only') args.seedOnly = true;
    else if (arg === '--out') args.out = argv[++i] ?? null;
    else if (arg === '--only') args.only = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run bench [-- --smoke] [--out DIR] [--seed-only] [--only entity,search,...]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg}`);
  }
  return args;
}

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A failure of the harness itself: the run ends with exit status 1. */
class HarnessError extends Error {}

interface Targets {
  ours: RunningTarget;
  neo4jGraphql: RunningTarget;
  floor: RunningTarget;
}

/** What each target is sent for one operation, once its answer has been checked against ours. */
interface Prepared {
  op: Operation;
  requests: Partial<Record<TargetName, { url: string; body: string; expectBody: string }>>;
  /** How long each target took to answer the checked request, ms. */
  latencyMs: Partial<Record<TargetName, number>>;
  outcomes: Partial<Record<TargetName, TargetOutcome>>;
}

function isEmptyAnswer(answer: unknown): boolean {
  if (answer === null || answer === undefined) return true;
  if (Array.isArray(answer)) return answer.length === 0;
  if (typeof answer === 'object') return Object.values(answer as object).every((v) => isEmptyAnswer(v) || v === false);
  return false;
}

/** JSON with object keys sorted: Cypher maps, for one, do not keep the order of their keys. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

const brief = (value: unknown) => {
  const text = JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
};

/** Sends each target the operation once and compares the answers with ours; a target that disagrees is not measured. */
async function prepare(op: Operation, fixtures: Fixtures, targets: Targets, domain: RelationDomain, failures: string[]): Promise<Prepared> {
  const prepared: Prepared = { op, requests: {}, outcomes: {}, latencyMs: {} };
  const bodies: Record<TargetName, string | { na: string }> = {
    ours: JSON.stringify(op.ours(fixtures)),
    neo4jGraphql: ((spec) => ('na' in spec ? spec : JSON.stringify(spec)))(op.neo4jGraphql(fixtures, domain)),
    floor: JSON.stringify(op.floor.variables(fixtures)),
  };
  const answers: Partial<Record<TargetName, unknown>> = {};
  for (const target of TARGETS) {
    const body = bodies[target];
    if (typeof body !== 'string') {
      prepared.outcomes[target] = { na: body.na };
      continue;
    }
    const url = targets[target].endpoint(op.name);
    let response: Response;
    let text: string;
    const sent = performance.now();
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
      });
      text = await response.text();
      prepared.latencyMs[target] = performance.now() - sent;
    } catch (error) {
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${VERIFY_TIMEOUT_MS / 1000} s`
          : `request failed: ${(error as Error).message}`;
      prepared.outcomes[target] = { invalid: reason };
      failures.push(`${op.name} on ${target}: ${reason}`);
      continue;
    }
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!response.ok || !json || json.errors || json.error || json.data === undefined) {
      const reason = `HTTP ${response.status}: ${brief(json?.errors ?? json?.error ?? text)}`;
      prepared.outcomes[target] = { invalid: reason };
      failures.push(`${op.name} on ${target}: ${reason}`);
      continue;
    }
    try {
      answers[target] = op.answer[target](json.data);
    } catch (error) {
      const reason = `could not read the answer (${(error as Error).message}): ${brief(json.data)}`;
      prepared.outcomes[target] = { invalid: reason };
      failures.push(`${op.name} on ${target}: ${reason}`);
      continue;
    }
    prepared.requests[target] = { url, body, expectBody: text };
  }
  const reference = answers.ours;
  if (reference !== undefined && isEmptyAnswer(reference)) {
    failures.push(`${op.name}: the service's answer is empty for the chosen fixture (${brief(reference)})`);
  }
  for (const target of ['neo4jGraphql', 'floor'] as const) {
    if (!(target in answers) || reference === undefined) continue;
    const agree = op.agree ? op.agree(reference, answers[target]) : canonical(reference) === canonical(answers[target]);
    if (!agree) {
      const reason = `its answer differs from the service's: ${brief(answers[target])} vs ${brief(reference)}`;
      prepared.outcomes[target] = { invalid: reason };
      delete prepared.requests[target];
      failures.push(`${op.name} on ${target}: ${reason}`);
    }
  }
  return prepared;
}

/** Fewer 2xx responses than this over a target's measured rounds, and it gets a run by count instead. */
const MIN_RESPONSES = 8;
/** A target whose checked request took this long (ms) is measured by count only. */
const SLOW_MS = 1_000;

/** How long the single checked request of each target may take before the target is dropped for that operation. */
const VERIFY_TIMEOUT_MS = 60_000;

/**
 * Waits until no target has an operation in progress and the event loop runs on time (a request being
 * translated blocks it), three samples in a row: leftovers of one run must not slow the next.
 */
async function quiesce(targets: Targets, maxMs = 120_000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < deadline) {
    const before = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const lag = performance.now() - before - 30;
    const busy = TARGETS.reduce((sum, t) => sum + targets[t].inFlight(), 0);
    quiet = busy === 0 && lag < 25 ? quiet + 1 : 0;
  }
  if (quiet < 3) log(`targets still busy after ${maxMs / 1000} s; going on`);
}

/** How long a warm-up request may take: Neo4j plans a new statement on first use, which for @neo4j/graphql's biggest statements takes minutes. */
const PREWARM_TIMEOUT_MS = 5 * 60_000;

/**
 * Sends every operation to every target once, all at the same time, and waits for the answers: Neo4j plans
 * and caches each statement, and the JIT sees each code path, before anything is checked or measured.
 */
async function prewarm(ops: readonly Operation[], fixtures: Fixtures, targets: Targets, domain: RelationDomain): Promise<void> {
  const started = Date.now();
  const requests = ops.flatMap((op) => {
    const ngql = op.neo4jGraphql(fixtures, domain);
    const bodies: [TargetName, string | null][] = [
      ['ours', JSON.stringify(op.ours(fixtures))],
      ['neo4jGraphql', 'na' in ngql ? null : JSON.stringify(ngql)],
      ['floor', JSON.stringify(op.floor.variables(fixtures))],
    ];
    return bodies.flatMap(([target, body]) => (body === null ? [] : [{ url: targets[target].endpoint(op.name), body }]));
  });
  await Promise.all(
    requests.map(({ url, body }) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(PREWARM_TIMEOUT_MS) })
        .then((response) => response.text())
        .catch(() => undefined),
    ),
  );
  await quiesce(targets);
  log(`warm-up requests (${requests.length}, concurrently) answered in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function runMatrix(
  scaleName: string,
  fixtures: Fixtures,
  ops: readonly Operation[],
  targets: Targets,
  domain: RelationDomain,
  loadgen: LoadGenerator,
  settings: Settings,
  failures: string[],
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  await prewarm(ops, fixtures, targets, domain);
  for (const [opIndex, op] of ops.entries()) {
    const prepared = await prepare(op, fixtures, targets, domain, failures);
    // A target that takes seconds per request cannot be timed in 3 s runs: it is measured by count
    // instead, one request per connection, after the others (at 10× slower, drift does not matter).
    const slow = TARGETS.filter((t) => prepared.requests[t] && (prepared.latencyMs[t] ?? 0) >= SLOW_MS);
    const live = TARGETS.filter((t) => prepared.requests[t] && !slow.includes(t));
    for (const target of live) {
      const request = prepared.requests[target]!;
      await loadgen.run({ url: request.url, body: request.body, connections: settings.connections, durationSec: settings.warmupSec });
      await quiesce(targets);
    }
    const runs: Partial<Record<TargetName, LoadResult[]>> = {};
    // Round-robin over targets, starting with a different one each round, so drift hits all alike.
    for (let round = 0; round < settings.rounds; round += 1) {
      for (const target of rotate(live, round + opIndex)) {
        const request = prepared.requests[target]!;
        const result = await loadgen.run({ ...request, connections: settings.connections, durationSec: settings.durationSec });
        (runs[target] ??= []).push(result);
        await quiesce(targets);
      }
    }
    // An operation slower than the run itself gets a few more requests, run to completion, so that its
    // rate and latencies rest on more than a handful of responses.
    for (const target of [...live, ...slow]) {
      const done = (runs[target] ?? []).reduce((sum, r) => sum + r.ok, 0);
      if (done >= MIN_RESPONSES) continue;
      const request = prepared.requests[target]!;
      (runs[target] ??= []).push(
        await loadgen.run({
          ...request,
          connections: settings.connections,
          durationSec: 0,
          amount: Math.max(MIN_RESPONSES - done, settings.connections),
        }),
      );
      await quiesce(targets);
    }
    const outcomes = {} as Record<TargetName, TargetOutcome>;
    const line: string[] = [];
    for (const target of TARGETS) {
      const targetRuns = runs[target];
      if (targetRuns) {
        const m = summarize(targetRuns);
        outcomes[target] = { measured: m };
        const trouble = m.errors + m.non2xx + m.mismatches > 0 ? ` (${m.errors} err, ${m.non2xx} non-2xx, ${m.mismatches} mismatched)` : '';
        line.push(`${target} ${fmt(m.rps)} req/s p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} ms${trouble}`);
      } else {
        outcomes[target] = prepared.outcomes[target] ?? { invalid: 'not measured' };
        line.push(`${target} ${'na' in outcomes[target] ? 'N/A' : 'not measured'}`);
      }
    }
    log(`${scaleName} ${op.name}: ${line.join(' | ')}`);
    results.push({ name: op.name, title: op.title, targets: outcomes });
  }
  return results;
}

async function runScalingPoint(
  entities: number,
  relations: number,
  fixtures: Fixtures,
  targets: Targets,
  domain: RelationDomain,
  loadgen: LoadGenerator,
  settings: Settings,
  failures: string[],
): Promise<ScalingPoint> {
  const point: ScalingPoint = { entities, relations, p50: {} };
  await prewarm(SCALING_OPERATIONS, fixtures, targets, domain);
  for (const op of SCALING_OPERATIONS) {
    const prepared = await prepare(op, fixtures, targets, domain, failures);
    const row = {} as Record<TargetName, number | null>;
    for (const target of TARGETS) {
      const request = prepared.requests[target];
      if (!request) {
        row[target] = null;
        continue;
      }
      await loadgen.run({ url: request.url, body: request.body, connections: 1, durationSec: settings.scalingWarmupSec });
      await quiesce(targets);
      const result = await loadgen.run({ ...request, connections: 1, durationSec: settings.scalingDurationSec });
      await quiesce(targets);
      row[target] = summarize([result]).p50;
    }
    point.p50[op.name] = row;
    log(
      `scaling ${fmt(relations)} relations, ${op.name} p50: ${TARGETS.map((t) => `${t} ${row[t] === null ? 'N/A' : `${row[t]!.toFixed(2)} ms`}`).join(', ')}`,
    );
  }
  return point;
}

function commandOutput(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
}

async function packageVersion(name: string): Promise<string> {
  try {
    return (JSON.parse(await readFile(path.join(repoRoot(), 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function machineInfo(): Promise<Record<string, string | number>> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  return {
    'CPU model (/proc/cpuinfo)': model,
    nproc: Number(commandOutput('nproc', [])) || os.cpus().length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()}`,
    'Node.js': process.version,
    Java: commandOutput('java', ['-version']).split('\n')[0] ?? 'unknown',
    Neo4j: `${NEO4J_VERSION} Community, embedded`,
    'APOC core': APOC_VERSION,
    '@neo4j/graphql': await packageVersion('@neo4j/graphql'),
    autocannon: await packageVersion('autocannon'),
    'load average at start (1, 5, 15 min)': os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', '),
  };
}

/**
 * Ingestion through the API into the graph as it stands: new documents of `relationsPerDocument` facts
 * each (and two new entities), posted to this service's `ingestDocument` from several connections by the
 * load generator's process. A warm-up batch first, so that Neo4j has planned every statement.
 */
async function runApiIngestion(
  scale: string,
  admin: Neo4jClient,
  ours: RunningTarget,
  loadgen: LoadGenerator,
  settings: Settings,
  failures: string[],
): Promise<ApiIngestionResult> {
  const { connections, warmupDocuments, documents, relationsPerDocument } = settings.apiIngestion;
  const ids = (await admin.read<{ id: string }>(`MATCH (e:Entity) WHERE e.id STARTS WITH 'syn-' RETURN e.id AS id ORDER BY id`)).map(
    (r) => r.id,
  );
  const entityIds = ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 2_000)) === 0);
  const job = (seed: number, count: number): IngestJob => ({
    url: ours.endpoint('ingestDocument'),
    token: BENCH_EDITOR_KEY,
    connections,
    documents: count,
    relationsPerDocument,
    newEntitiesPerDocument: 2,
    entityIds,
    seed,
  });
  log(
    `ingestion through the API: ${warmupDocuments} warm-up documents, then ${documents} × ${relationsPerDocument} relations over ${connections} connections`,
  );
  await loadgen.ingest(job(1, warmupDocuments));
  const result = await loadgen.ingest(job(2, documents));
  if (result.errors > 0) failures.push(`ingestion through the API: ${result.errors} documents failed, e.g. ${result.firstError}`);
  const latencies = [...result.latencies].sort((a, b) => a - b);
  const seconds = result.durationMs / 1000;
  const row: ApiIngestionResult = {
    scale,
    connections,
    documents: result.documents,
    relationsPerDocument,
    newEntitiesPerDocument: 2,
    seconds,
    documentsPerSecond: result.documents / seconds,
    relationsPerSecond: result.relations / seconds,
    errors: result.errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    outcomes: result.outcomes,
  };
  log(
    `ingestion through the API: ${fmt(row.documentsPerSecond)} documents/s, ${fmt(row.relationsPerSecond)} relations/s, p50 ${row.p50.toFixed(0)} ms`,
  );
  return row;
}

/** Triples of (source kind, fact type, target kind) the data can hold: the seed graph's and the synthetic generator's. */
function dataKindPairs(): KindPair[] {
  const seed = readSeedGraph();
  const kindOf = new Map(seed.entities.map((e) => [e.id, e.kind as EntityKind]));
  const pairs: KindPair[] = seed.relations.map((r) => ({ source: kindOf.get(r.source)!, type: r.type, target: kindOf.get(r.target)! }));
  for (const variant of RELATION_VARIANTS) {
    for (const source of Object.keys(variant.source) as EntityKind[]) {
      for (const target of Object.keys(variant.target) as EntityKind[]) pairs.push({ source, type: variant.type, target });
    }
  }
  return pairs;
}

async function graphSize(client: Neo4jClient): Promise<{ entities: number; relations: number }> {
  const [row] = await client.read<{ entities: number; relations: number }>(
    'RETURN COUNT { MATCH (:Entity) } AS entities, COUNT { MATCH (:Entity)-[]->(:Entity) } AS relations',
  );
  return row ?? { entities: 0, relations: 0 };
}

function ingestionProgress(): (p: SyntheticProgress) => void {
  let lastDecile = -1;
  return (p) => {
    if (p.phase !== 'relations') return;
    const decile = Math.floor((p.done / p.total) * 10);
    if (decile > lastDecile) {
      lastDecile = decile;
      log(`  ingest: ${fmt(p.done)}/${fmt(p.total)} relations, ${fmt(p.done / (p.phaseElapsedMs / 1000))} relations/s`);
    }
  };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const settings = args.smoke ? SMOKE : FULL;
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const outDir =
    args.out ?? (args.smoke ? await mkdtemp(path.join(os.tmpdir(), 'kg-bench-smoke-')) : path.join(repoRoot(), 'bench', 'results'));
  const ops = OPERATIONS.filter((op) => !op.scalingOnly && (args.only === null || args.only.includes(op.name)));
  const failures: string[] = [];
  log(`mode ${args.smoke ? 'smoke' : 'full'}; results go to ${outDir}`);
  const machine = await machineInfo();

  const apocDir = await provisionApoc(log);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kg-bench-neo4j-'));
  let db: EmbeddedNeo4j | undefined;
  let admin: Neo4jClient | undefined;
  let loadgen: LoadGenerator | undefined;
  const running: RunningTarget[] = [];
  try {
    db = await startEmbeddedNeo4j({
      dataDir,
      boltPort: await findFreePort(),
      heapMb: settings.heapMb,
      pageCacheMb: settings.pageCacheMb,
      pluginsDir: apocDir,
      onProgress: (line) => log(`neo4j provision: ${line}`),
    });
    log(`Neo4j ${NEO4J_VERSION} with APOC ${APOC_VERSION} at ${db.uri} (data ${dataDir})`);
    admin = new Neo4jClient(createDriver({ uri: db.uri }), { queryTimeoutMs: 15 * 60_000 });
    const domain = relationDomain(dataKindPairs());
    // The seed load waits on Neo4j (schema, then one transaction) while @neo4j/graphql builds its schema.
    const seedStarted = Date.now();
    const seedLoad = loadSeedGraph(admin, readSeedGraph()).then(() =>
      log(`seed graph loaded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`),
    );
    const neo4jGraphql = await startNeo4jGraphql(db.uri, domain);
    running.push(neo4jGraphql);
    log(`@neo4j/graphql schema built in ${(neo4jGraphql.schemaBuildMs / 1000).toFixed(1)} s (${fieldCount(domain)} relationship fields)`);
    await seedLoad;
    const ours = await startOurs(db.uri);
    running.push(ours);
    const floor = await startFloor(db.uri, [...OPERATIONS, OVERHEAD_OPERATION]);
    running.push(floor);
    // The cached rows' own instance: not one of the compared targets.
    const cachedOurs = await startOurs(db.uri, { responseCache: true });
    running.push(cachedOurs);
    const targets: Targets = { ours, neo4jGraphql, floor };
    loadgen = LoadGenerator.start();

    const scales: ScaleResult[] = [];
    const scaling: ScalingPoint[] = [];
    const ingestion: IngestionResult[] = [];
    const apiIngestion: ApiIngestionResult[] = [];

    const seedFixtures = await chooseFixtures(admin, { synthetic: false });
    const seedSize = await graphSize(admin);
    log(
      `scale seed: ${fmt(seedSize.entities)} entities, ${fmt(seedSize.relations)} relations; fixtures ${JSON.stringify({ ...seedFixtures, representations: seedFixtures.representations.length })}`,
    );
    scales.push({
      name: 'seed',
      ...seedSize,
      fixtures: seedFixtures,
      operations: await runMatrix('seed', seedFixtures, ops, targets, domain, loadgen, settings, failures),
    });
    const cached: CachedRow[] = await runCachedRows(
      ops,
      seedFixtures,
      scales[0]!.operations,
      { ours, cached: cachedOurs },
      loadgen,
      settings,
      summarize,
      failures,
    );
    for (const row of cached) {
      const c = 'rps' in row.cached ? row.cached : null;
      log(`seed ${row.name} cached: ${c ? `${fmt(c.rps)} req/s p50 ${c.p50.toFixed(1)} p99 ${c.p99.toFixed(1)} ms` : 'not measured'}`);
    }

    let overhead: OverheadResult | undefined;
    if (args.only === null || args.only.includes(OVERHEAD_OPERATION.name)) {
      const bareApollo = await startBareApollo();
      running.push(bareApollo);
      overhead = await measureOverhead({ ...targets, bareApollo }, loadgen, settings, () => quiesce(targets));
      for (const line of overheadLines(overhead)) log(`overhead: ${line}`);
    }

    if (!args.seedOnly) {
      for (const [index, [entities, relations]] of settings.curve.entries()) {
        log(`ingesting ${fmt(entities)} synthetic entities and ${fmt(relations)} relations`);
        const summary = await writeSyntheticGraph(admin, { entities, relations }, ingestionProgress());
        ingestion.push({
          entities: summary.entities,
          relations: summary.relations,
          batchSize: summary.batchSize,
          relationsPerSecond: summary.relationsPerSecond,
          entityPhaseMs: summary.entityPhaseMs,
          relationPhaseMs: summary.relationPhaseMs,
          elapsedMs: summary.elapsedMs,
        });
        log(
          `ingested in ${(summary.elapsedMs / 1000).toFixed(1)} s: ${fmt(summary.relationsPerSecond)} relations/s in batches of ${fmt(summary.batchSize)}`,
        );
        const fixtures = await chooseFixtures(admin, { synthetic: true });
        const size = await graphSize(admin);
        log(
          `scale ${fmt(size.relations)} relations: fixtures ${JSON.stringify({ ...fixtures, representations: fixtures.representations.length })}`,
        );
        scaling.push(await runScalingPoint(size.entities, size.relations, fixtures, targets, domain, loadgen, settings, failures));
        if (index === settings.matrixAt) {
          const name = `${fmt(entities / 1000)}k entities / ${relations >= 1e6 ? `${relations / 1e6}M` : `${fmt(relations / 1000)}k`} relations`;
          scales.push({
            name,
            ...size,
            fixtures,
            operations: await runMatrix(name, fixtures, ops, targets, domain, loadgen, settings, failures),
          });
        }
        if (index === settings.apiIngestion.at) {
          const scale = `${fmt(size.entities)} entities / ${fmt(size.relations)} relations`;
          apiIngestion.push(await runApiIngestion(scale, admin, ours, loadgen, settings, failures));
        }
        if (index < settings.curve.length - 1) {
          const cleared = await clearSyntheticGraph(admin);
          log(`cleared the synthetic graph in ${(cleared.elapsedMs / 1000).toFixed(1)} s`);
        }
      }
    }

    machine['load average at end (1, 5, 15 min)'] = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
    const results: BenchResults = {
      mode: args.smoke ? 'smoke' : 'full',
      startedAt,
      totalSeconds: (Date.now() - started) / 1000,
      machine,
      settings: {
        connections: settings.connections,
        'warm-up per target and operation (s)': settings.warmupSec,
        'measured run (s)': settings.durationSec,
        'rounds per target (interleaved)': settings.rounds,
        'scaling curve: connections, warm-up, run (s)': `1, ${settings.scalingWarmupSec}, ${settings.scalingDurationSec}`,
        'Neo4j heap / page cache (MB)': `${settings.heapMb} / ${settings.pageCacheMb}`,
        'driver pool size (every target)': 100,
      },
      neo4jGraphqlSchemaBuildMs: neo4jGraphql.schemaBuildMs,
      scales,
      scaling,
      ingestion,
      apiIngestion,
      overhead,
      checks: computeChecks(scales),
    };
    await mkdir(outDir, { recursive: true });
    await writeFile(path.join(outDir, 'results.json'), JSON.stringify({ ...results, cached }, null, 2) + '\n');
    await writeFile(path.join(outDir, 'results.md'), renderMarkdown(results) + renderCachedRows(cached));
    await writeFile(path.join(outDir, 'chart.svg'), renderSvg(results));
    console.log('');
    for (const line of checkLines(results.checks)) console.log(line);
    const overheadVerdict = overheadCheck(overhead);
    if (overheadVerdict) {
      console.log(
        `overhead ({ __typename }) vs a bare Apollo Server: ${overheadVerdict.pass ? 'PASS' : 'FAIL'} ${overheadVerdict.ratio.toFixed(2)}×`,
      );
    }
    for (const row of apiIngestion) {
      const pass = row.relationsPerSecond >= API_INGESTION_TARGET ? 'PASS' : 'FAIL';
      console.log(
        `ingestion through the API at ${row.scale}: ${pass} ${fmt(row.relationsPerSecond)} relations/s (target ${fmt(API_INGESTION_TARGET)})`,
      );
    }
    console.log('');
    log(`wrote ${outDir}/results.{json,md} and chart.svg in ${results.totalSeconds.toFixed(0)} s`);
  } finally {
    await loadgen?.stop().catch(() => undefined);
    for (const target of running.reverse()) await target.stop().catch((error: unknown) => log(`stopping a target: ${String(error)}`));
    await admin?.close().catch(() => undefined);
    await db?.stop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  }
  if (failures.length > 0) {
    console.error(`\nThe harness found ${failures.length} problem(s); the comparison is not valid where they occur:`);
    for (const failure of failures) console.error(`- ${failure}`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof HarnessError ? `bench: ${error.message}` : error);
    process.exit(1);
  },
);
