import { int, type ManagedTransaction } from 'neo4j-driver';
import type { EntityKind } from '../generated/graphql';
import type { Neo4jClient } from '../db/neo4jClient';
import { ensureSchema } from '../db/schema';
import { RELATION_TYPES } from '../data/relations';
import { evidenceToStored } from '../data/records';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import type { SeedEntity, SeedEvidence, SeedRelation } from './format';
import type { SeedGraph } from './validate';

const toEvidence = (evidence: SeedEvidence[]) =>
  evidence.map((e) => ({ documentId: e.document, quote: e.quote, confidence: e.confidence }));

/** Labels come from this allow-list only; a kind's label is its GraphQL type name. */
const KIND_LABELS: readonly string[] = Object.values(TYPE_NAME_BY_KIND);

/** Attributes stored as Neo4j integers; a JavaScript number would otherwise be stored as a float. */
const INTEGER_ATTRIBUTES = new Set(['termYears', 'minimumMemberCount']);

function entityRow(entity: SeedEntity) {
  const typed = Object.fromEntries(
    entity.attributes.map((a) => [a.name, INTEGER_ATTRIBUTES.has(a.name) && typeof a.value === 'number' ? int(a.value) : a.value]),
  );
  return {
    id: entity.id,
    props: {
      id: entity.id,
      kind: entity.kind,
      name: entity.name,
      aliases: entity.aliases,
      description: entity.description ?? null,
      ...evidenceToStored(toEvidence(entity.evidence)),
      attributesJson: JSON.stringify(
        entity.attributes.map((a) => ({
          name: a.name,
          value: a.value,
          modality: a.modality,
          claimedById: a.claimedBy ?? null,
          evidence: toEvidence(a.evidence),
        })),
      ),
      ...typed,
    },
  };
}

function relationRow(relation: SeedRelation) {
  return {
    id: relation.id,
    source: relation.source,
    target: relation.target,
    props: {
      id: relation.id,
      role: relation.role ?? null,
      share: relation.share ?? null,
      approximate: relation.approximate,
      pointInTime: relation.pointInTime ?? null,
      validFrom: relation.validFrom ?? null,
      validTo: relation.validTo ?? null,
      rank: relation.rank,
      modality: relation.modality,
      claimedBy: relation.claimedBy ?? null,
      ...evidenceToStored(toEvidence(relation.evidence)),
    },
  };
}

function groupBy<T, K extends string>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Writes the graph with MERGE on stable ids and SET of every property: loading twice changes nothing. */
async function writeGraph(tx: ManagedTransaction, graph: SeedGraph): Promise<void> {
  await tx.run(
    `UNWIND $documents AS d
     MERGE (doc:Document {id: d.id})
     SET doc = d`,
    {
      documents: graph.documents.map((d) => ({
        id: d.id,
        title: d.title,
        titleIsEditorial: d.titleSource === 'editorial',
        publisher: d.publisher,
        url: d.url,
        publishedAt: d.publishedAt,
        language: d.language,
        attribution: d.attribution,
        text: d.text,
      })),
    },
  );
  for (const [kind, entities] of groupBy(graph.entities, (e) => e.kind)) {
    const label = TYPE_NAME_BY_KIND[kind as EntityKind];
    if (!KIND_LABELS.includes(label)) throw new Error(`No label for entity kind ${kind}`);
    const otherLabels = KIND_LABELS.filter((l) => l !== label).join(':');
    await tx.run(
      `UNWIND $rows AS row
       MERGE (e:Entity {id: row.id})
       SET e = row.props, e:${label}
       REMOVE e:${otherLabels}`,
      { rows: entities.map(entityRow) },
    );
  }
  for (const [type, relations] of groupBy(graph.relations, (r) => r.type)) {
    if (!RELATION_TYPES.includes(type)) throw new Error(`Relation type ${type} is not in the vocabulary`);
    // MERGE is anchored on both ends: a fact whose source or target is later changed in seed/ gets a new
    // relationship, and the old one stays until removed by hand. No seed change has needed that yet.
    await tx.run(
      `UNWIND $rows AS row
       MATCH (a:Entity {id: row.source})
       MATCH (b:Entity {id: row.target})
       MERGE (a)-[r:${type} {id: row.id}]->(b)
       SET r = row.props`,
      { rows: relations.map(relationRow) },
    );
  }
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
