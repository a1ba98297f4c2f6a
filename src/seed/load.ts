import type { ManagedTransaction } from 'neo4j-driver';
import type { Neo4jClient } from '../db/neo4jClient';
import { ensureSchema } from '../db/schema';
import { entitiesForWrite, factsForWrite } from '../data/ingestion';
import { documentRow, entityRow, relationRow, writeDocuments, writeEntities, writeRelations } from '../data/writer';
import type { EntityModel } from '../models/entity';
import type { EvidenceModel } from '../models/evidence';
import { nameKey } from '../models/names';
import type { EntityWrite, RelationWrite } from '../models/write';
import type { SeedEvidence } from './format';
import type { SeedGraph } from './validate';

const toEvidence = (evidence: SeedEvidence[]): EvidenceModel[] =>
  evidence.map((e) => ({ documentId: e.document, quote: e.quote, confidence: e.confidence }));

/**
 * What the seed says of an entity, with what the API has added to it since: evidence from other
 * documents, and aliases the seed does not list. The seed owns what its own documents say; the rest stays.
 */
function withApiAdditions(seed: EntityWrite, stored: EntityModel | undefined, seedDocuments: Set<string>): EntityWrite {
  if (!stored) return seed;
  const known = new Set([seed.name, ...seed.aliases].map(nameKey));
  return {
    ...seed,
    aliases: [...seed.aliases, ...stored.aliases.filter((alias) => !known.has(nameKey(alias)))],
    evidence: [...seed.evidence, ...stored.evidence.filter((e) => !seedDocuments.has(e.documentId))],
  };
}

/**
 * Writes the graph through the graph writer: each record becomes what seed/ says, so loading twice changes
 * nothing. What the API did since a first load survives a reload: evidence from ingested documents, added
 * aliases, deprecations and supersessions, and merges (a merged-away id is followed to the entity kept).
 */
async function writeGraph(tx: ManagedTransaction, graph: SeedGraph): Promise<void> {
  const seedDocuments = new Set(graph.documents.map((d) => d.id));
  const storedEntities = await entitiesForWrite(
    tx,
    graph.entities.map((e) => e.id),
  );
  // A seed id merged into another entity (through the API) is that entity now.
  const idOf = (id: string) => storedEntities.get(id)?.id ?? id;
  const storedFacts = await factsForWrite(
    tx,
    graph.relations.map((r) => r.id),
  );

  await writeDocuments(
    tx,
    graph.documents.map((d) => documentRow({ ...d, titleIsEditorial: d.titleSource === 'editorial' })),
  );
  await writeEntities(
    tx,
    graph.entities
      .filter((e) => idOf(e.id) === e.id)
      .map((e) =>
        entityRow(
          withApiAdditions(
            {
              ...e,
              description: e.description ?? null,
              evidence: toEvidence(e.evidence),
              attributes: e.attributes.map((a) => ({
                ...a,
                claimedById: a.claimedBy ? idOf(a.claimedBy) : null,
                evidence: toEvidence(a.evidence),
              })),
            },
            storedEntities.get(e.id),
            seedDocuments,
          ),
        ),
      ),
  );
  await writeRelations(
    tx,
    graph.relations.map((r) => {
      const stored = storedFacts.get(r.id);
      const seed: RelationWrite = {
        ...r,
        sourceId: idOf(r.source),
        targetId: idOf(r.target),
        role: r.role ?? null,
        share: r.share ?? null,
        pointInTime: r.pointInTime ?? null,
        validFrom: r.validFrom ?? null,
        validTo: r.validTo ?? null,
        claimedById: r.claimedBy ? idOf(r.claimedBy) : null,
        evidence: [...toEvidence(r.evidence), ...(stored?.evidence.filter((e) => !seedDocuments.has(e.documentId)) ?? [])],
      };
      // A correction made through the API (it is dated) stands.
      return relationRow(
        stored?.deprecatedAt
          ? {
              ...seed,
              rank: stored.rank,
              deprecationReason: stored.deprecationReason,
              deprecatedAt: stored.deprecatedAt,
              supersededById: stored.supersededById,
            }
          : seed,
      );
    }),
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
