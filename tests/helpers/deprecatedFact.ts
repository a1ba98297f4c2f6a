import type { Neo4jClient } from '../../src/db/neo4jClient';

/**
 * Adds, for the enclosing describe block, a DEPRECATED HOLDS_OFFICE fact between two seed entities (with
 * seed evidence), and removes it afterwards: the seed graph has no deprecated fact, and other test files
 * count its facts. `client` is read when the hooks run, after the file's own beforeAll opened it.
 */
export function withDeprecatedOfficeFact(client: () => Neo4jClient, id: string, sourceId: string, targetId: string): void {
  beforeAll(() =>
    client().write(
      `MATCH (a:Entity {id: $sourceId}), (b:Entity {id: $targetId})
       CREATE (a)-[:HOLDS_OFFICE {id: $id, role: 'Prime Minister', rank: 'DEPRECATED', modality: 'ASSERTED',
         evidenceDocuments: ['paris-coalition-summit'], evidenceQuotes: ['French President Emmanuel Macron'], evidenceConfidences: [0.1]}]->(b)`,
      { id, sourceId, targetId },
    ),
  );
  afterAll(() => client().write('MATCH ()-[r:HOLDS_OFFICE {id: $id}]->() DELETE r', { id }));
}
