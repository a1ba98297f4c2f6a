import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { connectNeo4j } from '../db/connect';
import { readSeedGraph, SeedValidationError } from './validate';
import { loadSeedGraph } from './load';

/**
 * `npm run seed`: validates seed/ and loads it into the configured database (NEO4J_URI, or the embedded
 * one). `--validate-only` checks the files and touches no database.
 */
async function main(): Promise<void> {
  const graph = readSeedGraph();
  console.log(
    `seed: ${graph.documents.length} document(s), ${graph.entities.length} entities, ${graph.relations.length} relations are valid`,
  );
  if (process.argv.includes('--validate-only')) return;
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const connection = await connectNeo4j(config, logger);
  try {
    await loadSeedGraph(connection.client, graph);
    console.log('seed: loaded');
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof SeedValidationError ? error.message : `seed: ${(error as Error).message}`);
  process.exit(1);
});
