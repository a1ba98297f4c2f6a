import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { connectNeo4j } from '../db/connect';
import type { Neo4jClient } from '../db/neo4jClient';
import {
  clearSyntheticGraph,
  DEFAULT_BATCH_SIZE,
  storedDegreeStats,
  SyntheticConflictError,
  writeSyntheticGraph,
  type DegreeStats,
  type SyntheticOptions,
  type SyntheticProgress,
} from './synthetic';

const USAGE = `usage: npm run seed:synthetic -- --entities N --relations M [--seed S] [--batch B]
       npm run seed:synthetic -- --clear [--entities N --relations M ...]

Adds a synthetic graph (ids syn-…, property synthetic: true) to the configured database (NEO4J_URI, or
the embedded one). Same arguments, same graph: a rerun changes nothing. --clear first removes all
synthetic data, in batches. npm run bench:synthetic-check then times the API's queries on the graph.
See docs/synthetic-data.md.`;

interface Args {
  entities?: number;
  relations?: number;
  seed: number;
  batch: number;
  clear: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { seed: 1, batch: DEFAULT_BATCH_SIZE, clear: false };
  const integer = (flag: string, value: string | undefined) => {
    const n = Number(value?.replace(/_/g, ''));
    if (value === undefined || !Number.isSafeInteger(n)) throw new Error(`${flag} needs an integer, got ${JSON.stringify(value)}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    switch (flag) {
      case '--entities':
        args.entities = integer(flag, argv[++i]);
        break;
      case '--relations':
        args.relations = integer(flag, argv[++i]);
        break;
      case '--seed':
        args.seed = integer(flag, argv[++i]);
        break;
      case '--batch':
        args.batch = integer(flag, argv[++i]);
        break;
      case '--clear':
        args.clear = true;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${flag}`);
    }
  }
  if ((args.entities === undefined) !== (args.relations === undefined)) throw new Error('--entities and --relations go together');
  if (args.entities === undefined && !args.clear) throw new Error('nothing to do');
  if (args.batch < 1) throw new Error('--batch must be at least 1');
  return args;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function reporter(): (progress: SyntheticProgress) => void {
  let lastDocuments = 0;
  return (p) => {
    switch (p.phase) {
      case 'schema':
        console.log(`synthetic: schema ready (${seconds(p.elapsedMs)})`);
        break;
      case 'entities':
        console.log(`synthetic: entities ${thousands(p.done)}/${thousands(p.total)} (${p.label}) ${seconds(p.elapsedMs)}`);
        break;
      case 'relations':
        console.log(
          `synthetic: relations ${thousands(p.done)}/${thousands(p.total)} (${p.label}) ${seconds(p.elapsedMs)}, ${thousands(p.done / (p.phaseElapsedMs / 1000))} rel/s`,
        );
        break;
      case 'documents':
        if (p.done === p.total || p.done - lastDocuments >= 50) console.log(`synthetic: documents ${p.done}/${p.total}`);
        lastDocuments = p.done;
        break;
      case 'done':
        break;
    }
  };
}

/** Bytes under a directory (the embedded store), or null when it cannot be read. */
async function directorySize(dir: string): Promise<number | null> {
  try {
    let total = 0;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) total += (await directorySize(full)) ?? 0;
      else if (entry.isFile()) total += (await stat(full)).size;
    }
    return total;
  } catch {
    return null;
  }
}

const describeDegrees = (d: DegreeStats) =>
  `max ${thousands(d.max)}, p99 ${d.p99}, p90 ${d.p90}, median ${d.median}, mean ${d.mean.toFixed(1)}, min ${d.min}; ` +
  `${thousands(d.lowDegree)} of ${thousands(d.entities)} entities have 1–3 facts, ${d.isolated} have none`;

/**
 * `npm run seed:synthetic`: writes (or, with --clear, first removes) the synthetic load-test graph in the
 * configured database, like `npm run seed` does for the real seed.
 */
async function main(): Promise<void> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`seed:synthetic: ${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const connection = await connectNeo4j(config, logger);
  try {
    const client = connection.client;
    if (args.clear) {
      const cleared = await clearSyntheticGraph(client, args.batch, (what, n) => console.log(`synthetic: removed ${thousands(n)} ${what}`));
      console.log(
        `synthetic: cleared ${thousands(cleared.relations)} relations, ${thousands(cleared.entities)} entities, ${thousands(cleared.documents)} documents in ${seconds(cleared.elapsedMs)}`,
      );
    }
    if (args.entities !== undefined && args.relations !== undefined) {
      const embeddedDataDir = connection.embedded && config.neo4j.mode === 'embedded' ? config.neo4j.dataDir : null;
      await write(client, { entities: args.entities, relations: args.relations, seed: args.seed, batchSize: args.batch }, embeddedDataDir);
    }
  } finally {
    await connection.close();
  }
}

/** Writes the graph and reports the time it took, the degrees as stored, and the embedded store's size. */
async function write(
  client: Neo4jClient,
  options: SyntheticOptions & { batchSize: number },
  embeddedDataDir: string | null,
): Promise<void> {
  console.log(
    `synthetic: writing ${thousands(options.entities)} entities and ${thousands(options.relations)} relations (seed ${options.seed}, batch ${thousands(options.batchSize)})`,
  );
  const summary = await writeSyntheticGraph(client, options, reporter());
  console.log(
    `synthetic: done in ${seconds(summary.elapsedMs)}: ${thousands(summary.entities)} entities in ${seconds(summary.entityPhaseMs)}, ` +
      `${thousands(summary.relations)} relations in ${seconds(summary.relationPhaseMs)} (${thousands(summary.relationsPerSecond)} rel/s), ${thousands(summary.documents)} documents; ` +
      `this process's resident memory ${(process.memoryUsage().rss / 1024 ** 2).toFixed(0)} MiB`,
  );
  const stored = await storedDegreeStats(client);
  console.log(`synthetic: degrees in the database: ${describeDegrees(stored)}`);
  console.log(`synthetic: biggest hubs: ${stored.topHubs.map((h) => `${h.id} "${h.name}" (${thousands(h.degree)})`).join(', ')}`);
  if (embeddedDataDir !== null) {
    const data = path.join(embeddedDataDir, 'data');
    const [all, store] = await Promise.all([directorySize(data), directorySize(path.join(data, 'databases'))]);
    if (all !== null && store !== null) {
      const mib = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
      console.log(`synthetic: embedded database ${data}: ${mib(all)} (store files ${mib(store)}, transaction logs ${mib(all - store)})`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(
    error instanceof SyntheticConflictError
      ? `seed:synthetic: ${error.message}`
      : `seed:synthetic: ${(error as Error).stack ?? String(error)}`,
  );
  process.exit(1);
});
