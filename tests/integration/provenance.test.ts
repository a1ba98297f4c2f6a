/** Provenance and loading, checked in the database itself rather than through the API. */
import type { Neo4jClient } from '../../src/db/neo4jClient';
import { RELATION_TYPES } from '../../src/data/graph';
import { openTestClient, seedTestDatabase } from '../helpers/graphql';

let client: Neo4jClient;
beforeAll(async () => {
  client = openTestClient();
  await seedTestDatabase(client);
});
afterAll(async () => {
  await client.close();
});

test('every fact has evidence, and every quote occurs in its document', async () => {
  const rows = await client.read<{ id: string; documents: string[]; quotes: string[]; confidences: number[]; texts: (string | null)[] }>(
    `MATCH (:Entity)-[r]->(:Entity) WHERE type(r) IN $types
     RETURN r.id AS id, r.evidenceDocuments AS documents, r.evidenceQuotes AS quotes, r.evidenceConfidences AS confidences,
            [docId IN r.evidenceDocuments | COLLECT { MATCH (d:Document {id: docId}) RETURN d.text }[0]] AS texts`,
    { types: RELATION_TYPES },
  );
  expect(rows.length).toBeGreaterThanOrEqual(70);
  const problems: string[] = [];
  for (const row of rows) {
    if (!row.documents?.length) problems.push(`${row.id}: no evidence`);
    row.documents?.forEach((documentId, i) => {
      const text = row.texts[i];
      if (text == null) problems.push(`${row.id}: unknown document ${documentId}`);
      else if (!text.includes(row.quotes[i]!)) problems.push(`${row.id}: quote not in ${documentId}`);
      const confidence = row.confidences[i]!;
      if (!(confidence >= 0 && confidence <= 1)) problems.push(`${row.id}: confidence ${confidence}`);
    });
  }
  expect(problems).toEqual([]);
});

test('every entity is mentioned by evidence from a stored document', async () => {
  const rows = await client.read<{ id: string; ok: boolean }>(
    `MATCH (e:Entity)
     RETURN e.id AS id, size(e.evidenceDocuments) > 0 AND all(i IN range(0, size(e.evidenceDocuments) - 1)
       WHERE EXISTS { MATCH (d:Document {id: e.evidenceDocuments[i]}) WHERE d.text CONTAINS e.evidenceQuotes[i] }) AS ok`,
  );
  expect(rows.filter((r) => !r.ok).map((r) => r.id)).toEqual([]);
});

async function counts(): Promise<Record<string, number>> {
  const one = async (cypher: string) => (await client.read<{ n: number }>(cypher))[0]!.n;
  return {
    nodes: await one('MATCH (n) RETURN count(n) AS n'),
    relationships: await one('MATCH ()-[r]->() RETURN count(r) AS n'),
    documents: await one('MATCH (d:Document) RETURN count(d) AS n'),
    properties: await one('MATCH (n) UNWIND keys(n) AS k RETURN count(k) AS n'),
    constraints: await one('SHOW CONSTRAINTS YIELD name RETURN count(name) AS n'),
    indexes: await one('SHOW INDEXES YIELD name RETURN count(name) AS n'),
  };
}

test('loading the seed a second time changes no counts', async () => {
  const before = await counts();
  await seedTestDatabase(client);
  const after = await counts();
  expect(after).toEqual(before);
  expect(before.documents).toBe(1);
});
