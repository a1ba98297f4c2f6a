/** Helpers for tests that write: the fixture documents, graph counts, and a clean seed graph. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { IngestDocumentInput } from '../../src/generated/graphql';
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { seedTestDatabase } from './graphql';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'ingest');

/** A fixture as the CLI reads it: `name.json` (the input without the text) beside `name.txt` (the text). */
export function fixtureInput(name: string): IngestDocumentInput {
  const meta = JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as IngestDocumentInput;
  const text = readFileSync(path.join(FIXTURES, `${name}.txt`), 'utf8');
  return { ...meta, document: { ...meta.document, text } };
}

export interface GraphCounts {
  nodes: number;
  relationships: number;
}

/** Every node and relationship in the database: a write that was refused must leave both unchanged. */
export async function graphCounts(client: Neo4jClient): Promise<GraphCounts> {
  const [row] = await client.read<GraphCounts>('RETURN COUNT { MATCH (n) } AS nodes, COUNT { MATCH ()-[r]->() } AS relationships');
  return row!;
}

/** Empties the test database and loads the seed graph again: what a test file wrote is gone for the next. */
export async function resetToSeed(client: Neo4jClient): Promise<void> {
  await client.write('MATCH (n) DETACH DELETE n');
  await seedTestDatabase(client);
}

export const INGEST = `mutation ($input: IngestDocumentInput!, $dryRun: Boolean) {
  ingestDocument(input: $input, dryRun: $dryRun) {
    created
    document { id title attribution }
    entities { ref outcome matchedBy entity { id kind name aliases evidence { quote confidence document { id } } } }
    relations { outcome relation { id type role share rank supportCount source { id } target { id } evidence { quote document { id } } } }
    change { id operation actor summary document { id } entities { id } relations { id } }
  }
}`;

/** A small document of one text and the given facts, for tests that need many distinct documents. */
export function smallDocument(text: string, input: Partial<IngestDocumentInput> = {}): IngestDocumentInput {
  return { document: { title: `Test document: ${text.slice(0, 40)}`, text }, relations: [], ...input };
}
