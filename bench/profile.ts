/**
 * Where the time goes for one operation: `npx tsx bench/profile.ts --op nested [--entities N --relations M]`.
 *
 * 1. The Cypher statements this service sends for the operation (captured from its Neo4jClient), and the
 *    floor's, each run once under PROFILE: database hits, rows, and time.
 * 2. A CPU profile of this process (node:inspector, the same .cpuprofile that `node --cpu-prof` writes)
 *    while the load generator drives the service with the operation; written to
 *    bench/results/profiles/ and summarised as the functions with the most self time.
 *
 * It starts its own embedded Neo4j with the seed graph, plus a synthetic graph when --entities/--relations
 * are given; or uses --uri bolt://... as it is.
 */
import './env';
import { mkdtemp, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';
import { findFreePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../src/db/embedded/embeddedNeo4j';
import { createDriver, Neo4jClient, type Params, type QueryCounter } from '../src/db/neo4jClient';
import { createLogger } from '../src/logger';
import { createServer } from '../src/server';
import { loadSeedGraph } from '../src/seed/load';
import { writeSyntheticGraph } from '../src/seed/synthetic';
import { readSeedGraph } from '../src/seed/validate';
import { provisionApoc } from './apoc';
import { profileDuring, saveAndSummarise } from './cpuProfile';
import { chooseFixtures } from './fixtures';
import { LoadGenerator } from './loadgen';
import { OPERATIONS } from './operations';
import { listenOnLoopback } from './targets/common';

interface Args {
  op: string;
  uri: string | null;
  entities: number | null;
  relations: number | null;
  seconds: number;
  connections: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { op: '', uri: null, entities: null, relations: null, seconds: 8, connections: 8 };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--op') args.op = value;
    else if (flag === '--uri') args.uri = value;
    else if (flag === '--entities') args.entities = Number(value);
    else if (flag === '--relations') args.relations = Number(value);
    else if (flag === '--seconds') args.seconds = Number(value);
    else if (flag === '--connections') args.connections = Number(value);
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!OPERATIONS.some((op) => op.name === args.op)) throw new Error(`--op must be one of ${OPERATIONS.map((op) => op.name).join(', ')}`);
  return args;
}

/** A Neo4jClient that also records every statement it reads with. */
class RecordingClient extends Neo4jClient {
  recording: { cypher: string; params: Params }[] | null = null;

  override read<T extends Record<string, any>>(cypher: string, params: Params = {}, counter?: QueryCounter): Promise<T[]> {
    // Copy the lists: the service may grow a list after sending it (the neighborhood's `reached`).
    this.recording?.push({
      cypher,
      params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])),
    });
    return super.read<T>(cypher, params, counter);
  }
}

interface ProfiledStatement {
  cypher: string;
  dbHits: number;
  rows: number;
  ms: number;
}

function sumDbHits(plan: { dbHits: number; children: unknown[] }): number {
  return plan.dbHits + (plan.children as { dbHits: number; children: unknown[] }[]).reduce((sum, child) => sum + sumDbHits(child), 0);
}

async function profileStatement(driver: Driver, cypher: string, params: Params): Promise<ProfiledStatement> {
  // Run twice so the second is planned already, as in a warm service.
  await driver.executeQuery(cypher, params, { routing: neo4j.routing.READ });
  const started = performance.now();
  const result = await driver.executeQuery(`PROFILE ${cypher}`, params, { routing: neo4j.routing.READ });
  const ms = performance.now() - started;
  const plan = result.summary.profile;
  return { cypher: cypher.replace(/\s+/g, ' ').trim(), dbHits: plan ? sumDbHits(plan as never) : 0, rows: result.records.length, ms };
}

function printStatements(title: string, statements: ProfiledStatement[]): void {
  console.log(
    `\n${title}: ${statements.length} statement(s), ${statements.reduce((s, p) => s + p.dbHits, 0).toLocaleString('en-US')} db hits in all`,
  );
  for (const s of statements) {
    console.log(
      `  ${s.dbHits.toLocaleString('en-US').padStart(10)} db hits  ${String(s.rows).padStart(5)} rows  ${s.ms.toFixed(1).padStart(7)} ms  ${s.cypher.slice(0, 160)}${s.cypher.length > 160 ? '…' : ''}`,
    );
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const op = OPERATIONS.find((o) => o.name === args.op)!;
  let db: EmbeddedNeo4j | undefined;
  let dataDir: string | undefined;
  let uri = args.uri;
  if (uri === null) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'kg-bench-profile-'));
    db = await startEmbeddedNeo4j({
      dataDir,
      boltPort: await findFreePort(),
      heapMb: 2048,
      pageCacheMb: 2048,
      pluginsDir: await provisionApoc(),
    });
    uri = db.uri;
  }
  const client = new RecordingClient(createDriver({ uri }), { queryTimeoutMs: 15 * 60_000 });
  const loadgen = LoadGenerator.start();
  try {
    if (db) {
      await loadSeedGraph(client, readSeedGraph());
      if (args.entities !== null && args.relations !== null)
        await writeSyntheticGraph(client, { entities: args.entities, relations: args.relations });
    }
    const fixtures = await chooseFixtures(client, {
      synthetic:
        args.entities !== null || (await client.read('MATCH (e:Entity) WHERE e.id STARTS WITH "syn-" RETURN e LIMIT 1')).length > 0,
    });
    const server = await createServer({ config: { env: 'production', introspection: false }, client, logger: createLogger('silent') });
    const url = `${await listenOnLoopback(server.httpServer)}/graphql`;
    const body = JSON.stringify(op.ours(fixtures));
    const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.text());
    await send();

    // 1. Statements, under PROFILE.
    client.recording = [];
    await send();
    const ours = client.recording;
    client.recording = null;
    const driver = client.driver;
    const profiled: ProfiledStatement[] = [];
    for (const { cypher, params } of ours) profiled.push(await profileStatement(driver, cypher, params));
    printStatements(`this service, ${op.name}`, profiled);
    const floorStatements: { cypher: string; params: Params }[] = [];
    await op.floor.run(async (cypher, params) => {
      const typed = Object.fromEntries(
        Object.entries(params).map(([k, v]) => [k, typeof v === 'number' && Number.isInteger(v) ? neo4j.int(v) : v]),
      );
      floorStatements.push({
        cypher,
        params: Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])),
      });
      const result = await driver.executeQuery(cypher, typed, { routing: neo4j.routing.READ });
      return result.records.map((r) => r.toObject());
    }, op.floor.variables(fixtures));
    const floorProfiled: ProfiledStatement[] = [];
    for (const { cypher, params } of floorStatements) floorProfiled.push(await profileStatement(driver, cypher, params));
    printStatements(`floor, ${op.name}`, floorProfiled);

    // 2. CPU profile of this process under load.
    await loadgen.run({ url, body, connections: args.connections, durationSec: 2 });
    const { result, profile } = await profileDuring(() =>
      loadgen.run({ url, body, connections: args.connections, durationSec: args.seconds }),
    );
    const [{ relations } = { relations: 0 }] = await client.read<{ relations: number }>(
      'RETURN COUNT { MATCH (:Entity)-[]->(:Entity) } AS relations',
    );
    await saveAndSummarise(
      profile,
      `${op.name}-${relations}-relations`,
      `CPU profile while serving ${result.ok} requests (${(result.ok / (result.durationMs / 1000)).toFixed(0)} req/s at ${args.connections} connections)`,
    );
    await server.apollo.stop();
  } finally {
    await loadgen.stop();
    await client.close();
    await db?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
