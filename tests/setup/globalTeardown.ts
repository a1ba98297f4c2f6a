/** Stops the test run's embedded Neo4j (if globalSetup started one) and deletes its data dir. */
import { rm } from 'node:fs/promises';
import type { TestNeo4jState } from './globalSetup'; // also brings the global declaration of __KG_TEST_NEO4J__

export default async function globalTeardown(): Promise<void> {
  const state: TestNeo4jState | undefined = globalThis.__KG_TEST_NEO4J__;
  globalThis.__KG_TEST_NEO4J__ = undefined;
  if (!state) return;
  try {
    if (state.db) await state.db.stop();
  } finally {
    await rm(state.infoFile, { force: true });
    if (state.dataDir) await rm(state.dataDir, { recursive: true, force: true });
  }
}
