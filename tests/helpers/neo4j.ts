/**
 * Access to the Neo4j database of the test run (started once by tests/setup/globalSetup.ts, or given
 * by NEO4J_TEST_URI). Authentication is disabled on the embedded test database, so no credentials.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import neo4j, { type Driver } from 'neo4j-driver';

export const TEST_URI_ENV = 'NEO4J_TEST_URI';

/** What globalSetup writes as a fallback for test files that do not see its process.env change. */
export interface TestNeo4jInfo {
  uri: string;
  /** pid of the embedded Neo4j, or null when NEO4J_TEST_URI pointed at an external database. */
  pid: number | null;
  dataDir: string | null;
}

/** The fallback file of the jest process with this pid (one per run, so parallel runs do not collide). */
export function testNeo4jInfoFile(jestPid: number = process.pid): string {
  return path.join(os.tmpdir(), `kg-neo4j-test-${jestPid}.json`);
}

/** The Bolt URI of the test database. */
export function testNeo4jUri(): string {
  const fromEnv = process.env[TEST_URI_ENV];
  if (fromEnv) return fromEnv;
  // --runInBand: the test runs in the jest process itself; with workers, the jest process is our parent.
  for (const pid of [process.pid, process.ppid]) {
    try {
      const info = JSON.parse(readFileSync(testNeo4jInfoFile(pid), 'utf8')) as TestNeo4jInfo;
      if (info.uri) return info.uri;
    } catch {
      // try the next candidate
    }
  }
  throw new Error(
    `No test database: ${TEST_URI_ENV} is not set and tests/setup/globalSetup.ts did not run (use jest with jest.config.js).`,
  );
}

/**
 * A driver for the test database. Close it in afterAll. No auth token: the embedded database runs with
 * auth disabled (neo4j-driver 6 has auth.none() at runtime but not in its public typings, and leaving the
 * token out sends the same "none" scheme). Integers come back as JS numbers.
 */
export function openTestDriver(): Driver {
  return neo4j.driver(testNeo4jUri(), undefined, { disableLosslessIntegers: true });
}
