import type { ManagedTransaction } from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4jClient';
import { ensureSchema } from '../db/schema';
import { documentRow, entityRow, relationRow, writeDocuments, writeEntities, writeRelations } from '../data/writer';
import type { EvidenceModel } from '../models/evidence';
import type { SeedEvidence } from './format';
import type { SeedGraph } from './validate';

const toEvidence = (evidence: SeedEvidence[]): EvidenceModel[] =>
  evidence.map((e) => ({ documentId: e.document, quote: e.quote, confidence: e.confidence }));

/** Writes the graph through the graph writer, which makes each stored record what seed/ says: loading twice changes nothing. */
async function writeGraph(tx: ManagedTransaction, graph: SeedGraph): Promise<void> {
  await writeDocuments(
    tx,
    graph.documents.map((d) => documentRow({ ...d, titleIsEditorial: d.titleSource === 'editorial' })),
  );
  await writeEntities(
    tx,
    graph.entities.map((e) =>
      entityRow({
        ...e,
        description: e.description ?? null,
        evidence: toEvidence(e.evidence),
        attributes: e.attributes.map((a) => ({ ...a, claimedById: a.claimedBy ?? null, evidence: toEvidence(a.evidence) })),
      }),
    ),
  );
  await writeRelations(
    tx,
    graph.relations.map((r) =>
      relationRow({
        ...r,
        sourceId: r.source,
        targetId: r.target,
        role: r.role ?? null,
        share: r.share ?? null,
        pointInTime: r.pointInTime ?? null,
        validFrom: r.validFrom ?? null,
        validTo: r.validTo ?? null,
        claimedById: r.claimedBy ?? null,
        evidence: toEvidence(r.evidence),
      }),
    ),
  );
}

/** A seed load is a bulk write: it may take far longer than an interactive query. */
const SEED_TRANSACTION_TIMEOUT_MS = 5 * 60_000;

/** Creates the schema, then writes the whole graph in one transaction: it lands entirely or not at all. */
export async function loadSeedGraph(client: Neo4jClient, graph: SeedGraph): Promise<void> {
  await ensureSchema(client);
  await client.writeTransaction((tx) => writeGraph(tx, graph), SEED_TRANSACTION_TIMEOUT_MS);
}

export async function isDatabaseEmpty(client: Neo4jClient): Promise<boolean> {
  const [row] = await client.read<{ empty: boolean }>('MATCH (n) WITH n LIMIT 1 RETURN count(n) = 0 AS empty');
  return row?.empty ?? true;
}
