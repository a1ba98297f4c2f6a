/**
 * Starts ONE embedded Neo4j for the whole jest run on a free port with a throwaway data dir under
 * os.tmpdir(); globalTeardown.ts stops it and deletes the dir. When NEO4J_TEST_URI is set, that
 * database is used and nothing is started.
 *
 * The URI reaches test files through process.env.NEO4J_TEST_URI (jest --runInBand, and workers
 * inherit it) and, as a fallback, through a JSON file under os.tmpdir() (see tests/helpers/neo4j.ts).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { findFreePort, startEmbeddedNeo4j, type EmbeddedNeo4j } from '../../src/db/embedded/embeddedNeo4j';
import { TEST_URI_ENV, testNeo4jInfoFile, type TestNeo4jInfo } from '../helpers/neo4j';

export interface TestNeo4jState {
  db: EmbeddedNeo4j | null;
  dataDir: string | null;
  infoFile: string;
}

declare global {
  var __KG_TEST_NEO4J__: TestNeo4jState | undefined;
}

export default async function globalSetup(): Promise<void> {
  const infoFile = testNeo4jInfoFile(process.pid);
  const external = process.env[TEST_URI_ENV];
  if (external) {
    const info: TestNeo4jInfo = { uri: external, pid: null, dataDir: null };
    await writeFile(infoFile, JSON.stringify(info));
    globalThis.__KG_TEST_NEO4J__ = { db: null, dataDir: null, infoFile };
    return;
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kg-neo4j-test-'));
  const boltPort = await findFreePort();
  const started = Date.now();
  const db = await startEmbeddedNeo4j({
    dataDir,
    boltPort,
    heapMb: 512,
    pageCacheMb: 128,
    // First run only: mvn download progress.
    onProgress: (line) => process.stderr.write(`[neo4j provision] ${line}\n`),
    onUnexpectedExit: (code, signal) =>
      process.stderr.write(
        `\nThe test Neo4j (${dataDir}) exited unexpectedly (code ${String(code)}, signal ${String(signal)}); see ${dataDir}/logs/debug.log\n`,
      ),
  });
  globalThis.__KG_TEST_NEO4J__ = { db, dataDir, infoFile };
  process.env[TEST_URI_ENV] = db.uri;
  const info: TestNeo4jInfo = { uri: db.uri, pid: db.pid, dataDir };
  await writeFile(infoFile, JSON.stringify(info));
  process.stderr.write(`\nTest Neo4j ready at ${db.uri} in ${((Date.now() - started) / 1000).toFixed(1)} s (data: ${dataDir})\n`);
}
