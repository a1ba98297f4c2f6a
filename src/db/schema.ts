import { RelationType } from '../generated/graphql';
import type { Neo4jClient } from './neo4jClient';

/** The full-text index over entity names, aliases and descriptions. */
export const ENTITY_SEARCH_INDEX = 'entity_search';

/**
 * Constraints and indexes by name. Schema changes cannot share a transaction with data, so they run first,
 * each on its own, and only those missing are created: a reload does not wait on dozens of no-op statements.
 * Relationship types are the generated enum's values, spliced in from that list only.
 */
export function schemaStatements(): Map<string, string> {
  const statements: [string, string][] = [
    ['entity_id', 'CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE'],
    ['document_id', 'CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE'],
    // One document per text: ingesting a text again without an id finds it instead of adding a copy.
    ['document_text_hash', 'CREATE CONSTRAINT document_text_hash IF NOT EXISTS FOR (d:Document) REQUIRE d.textHash IS UNIQUE'],
    // An entity merged into another keeps its id as a redirect; no new entity may take it.
    ['merged_entity_id', 'CREATE CONSTRAINT merged_entity_id IF NOT EXISTS FOR (m:MergedEntity) REQUIRE m.id IS UNIQUE'],
    ['change_id', 'CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE'],
    ['change_at', 'CREATE INDEX change_at IF NOT EXISTS FOR (c:Change) ON (c.at)'],
    ['change_document', 'CREATE INDEX change_document IF NOT EXISTS FOR (c:Change) ON (c.documentId)'],
    ['entity_kind', 'CREATE INDEX entity_kind IF NOT EXISTS FOR (e:Entity) ON (e.kind)'],
    ['entity_name', 'CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)'],
    [
      ENTITY_SEARCH_INDEX,
      `CREATE FULLTEXT INDEX ${ENTITY_SEARCH_INDEX} IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases, e.description]
       OPTIONS { indexConfig: { \`fulltext.analyzer\`: 'standard-folding', \`fulltext.eventually_consistent\`: false } }`,
    ],
    ...Object.values(RelationType).map((type): [string, string] => {
      const name = `relation_id_${type.toLowerCase()}`;
      return [name, `CREATE INDEX ${name} IF NOT EXISTS FOR ()-[r:${type}]-() ON (r.id)`];
    }),
  ];
  return new Map(statements);
}

/** Creates the constraints and indexes that are missing, and waits until they are online. */
export async function ensureSchema(client: Neo4jClient): Promise<void> {
  const existing = new Set(
    [
      ...(await client.read<{ name: string }>('SHOW CONSTRAINTS YIELD name')),
      ...(await client.read<{ name: string }>('SHOW INDEXES YIELD name')),
    ].map((row) => row.name),
  );
  const missing = [...schemaStatements()].filter(([name]) => !existing.has(name));
  for (const [, statement] of missing) await client.write(statement);
  if (missing.length > 0) await client.write('CALL db.awaitIndexes(300)');
}
