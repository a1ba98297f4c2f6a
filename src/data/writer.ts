/**
 * The one graph writer: documents, entities and facts reach Neo4j through these functions only (the seed
 * loader, the synthetic generator and, next, ingestion). Each takes the caller's transaction, so the caller
 * decides what lands together, and rows that hold a record's full stored state: writing a row makes the
 * stored record exactly that row, and writing the same rows again changes nothing.
 *
 * Properties are SET one by one from the fixed lists below, not with `SET x = row.props`: a whole-map SET
 * also writes `id`, which the MERGE reads, so Cypher puts an Eager (every row of the batch materialised
 * before any write) into the plan. Each list names every property a row can carry; a null removes it.
 */
import { createHash } from 'node:crypto';
import { int, integer, type Integer, type ManagedTransaction } from 'neo4j-driver';
import type { EntityKind, RelationType } from '../generated/graphql';
import { ATTRIBUTES_BY_KIND, attributeType } from '../models/attributes';
import type { AttributeStatementModel } from '../models/entity';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import type { DocumentWrite, EntityWrite, RelationWrite } from '../models/write';
import { evidenceToStored, type StoredEvidence, RELATION_TYPES } from './graph';

/**
 * A write that would leave the graph wrong: a fact whose endpoint does not exist, a fact id already used
 * between other entities, an id given twice, an attribute the kind does not have. The caller's transaction
 * then fails, so nothing of it lands.
 */
export class GraphWriteError extends Error {
  override readonly name = 'GraphWriteError';
}

type AttributeName = { [K in keyof typeof ATTRIBUTES_BY_KIND]: keyof (typeof ATTRIBUTES_BY_KIND)[K] }[keyof typeof ATTRIBUTES_BY_KIND];

/** An entity node's properties, exactly as stored: evidence as parallel lists, integers as Neo4j integers. */
export type StoredEntity = StoredEvidence & {
  id: string;
  kind: EntityKind;
  name: string;
  aliases: string[];
  description: string | null;
  attributesJson: string;
  synthetic?: true;
} & Partial<Record<AttributeName, string | number | boolean | Integer>>;

/** A fact relationship's properties, exactly as stored. */
export type StoredRelation = StoredEvidence &
  Pick<RelationWrite, 'id' | 'role' | 'share' | 'approximate' | 'pointInTime' | 'validFrom' | 'validTo' | 'rank' | 'modality'> & {
    claimedBy: string | null;
    deprecationReason: string | null;
    deprecatedAt: string | null;
    supersededBy: string | null;
    synthetic?: true;
  };

/** A document as stored: with the hash of its text, which identifies it when ingested without an id. */
export interface DocumentRow {
  id: string;
  props: DocumentWrite & { textHash: string };
}

export interface EntityRow {
  id: string;
  props: StoredEntity;
}

/** A fact: its type and endpoints say where it goes, `props` what it holds. */
export interface RelationRow {
  id: string;
  type: RelationType;
  source: string;
  target: string;
  props: StoredRelation;
}

const DOCUMENT_PROPERTIES = [
  'title',
  'titleIsEditorial',
  'publisher',
  'url',
  'publishedAt',
  'language',
  'attribution',
  'text',
  'textHash',
  'synthetic',
] as const satisfies readonly (keyof DocumentRow['props'])[];
const EVIDENCE_PROPERTIES = ['evidenceDocuments', 'evidenceQuotes', 'evidenceConfidences'] as const satisfies readonly (keyof StoredEvidence)[];
const ATTRIBUTE_PROPERTIES = [...new Set(Object.values(ATTRIBUTES_BY_KIND).flatMap((attributes) => Object.keys(attributes)))];
/** Every kind's attributes, not only the row's kind's: an entity whose kind changed loses the old ones. */
const ENTITY_PROPERTIES = ['kind', 'name', 'aliases', 'description', ...EVIDENCE_PROPERTIES, 'attributesJson', ...ATTRIBUTE_PROPERTIES, 'synthetic'];
const RELATION_PROPERTIES = [
  'role',
  'share',
  'approximate',
  'pointInTime',
  'validFrom',
  'validTo',
  'rank',
  'modality',
  'claimedBy',
  ...EVIDENCE_PROPERTIES,
  'deprecationReason',
  'deprecatedAt',
  'supersededBy',
  'synthetic',
] as const satisfies readonly (keyof StoredRelation)[];

/** Labels come from this allow-list only; a kind's label is its GraphQL type name. */
const KIND_LABELS: readonly string[] = Object.values(TYPE_NAME_BY_KIND);

const setEach = (variable: string, properties: readonly string[]) => properties.map((p) => `${variable}.${p} = row.props.${p}`).join(', ');

// ---------------------------------------------------------------------------------------------------
// Rows: a record's full state in its stored form
// ---------------------------------------------------------------------------------------------------

/** What identifies a document's text: its SHA-256, hex. A unique constraint keeps one document per text. */
export const textHashOf = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function documentRow(document: DocumentWrite): DocumentRow {
  const { id, title, titleIsEditorial, publisher, url, publishedAt, language, attribution, text, synthetic } = document;
  return {
    id,
    props: {
      id,
      title,
      titleIsEditorial,
      publisher,
      url,
      publishedAt,
      language,
      attribution,
      text,
      textHash: textHashOf(text),
      ...(synthetic ? { synthetic } : {}),
    },
  };
}

/** An attribute's top-level property value: integers become Neo4j integers (a number would be a float). */
function storedAttributeValue(entity: EntityWrite, attribute: AttributeStatementModel): string | number | boolean | Integer {
  const type = attributeType(entity.kind, attribute.name);
  if (type === undefined) throw new GraphWriteError(`entity ${entity.id}: ${entity.kind} has no attribute "${attribute.name}"`);
  if (type !== 'integer') return attribute.value;
  if (typeof attribute.value !== 'number' || !Number.isSafeInteger(attribute.value))
    throw new GraphWriteError(`entity ${entity.id}: attribute ${attribute.name} must be an integer, not ${JSON.stringify(attribute.value)}`);
  return int(attribute.value);
}

export function entityRow(entity: EntityWrite): EntityRow {
  const typed: Record<string, string | number | boolean | Integer> = {};
  for (const attribute of entity.attributes) {
    if (Object.hasOwn(typed, attribute.name)) throw new GraphWriteError(`entity ${entity.id}: attribute ${attribute.name} given twice`);
    typed[attribute.name] = storedAttributeValue(entity, attribute);
  }
  return {
    id: entity.id,
    props: {
      id: entity.id,
      kind: entity.kind,
      name: entity.name,
      aliases: entity.aliases,
      description: entity.description,
      ...evidenceToStored(entity.evidence),
      attributesJson: JSON.stringify(
        entity.attributes.map((a) => ({
          name: a.name,
          value: a.value,
          modality: a.modality,
          claimedById: a.claimedById,
          evidence: a.evidence.map((e) => ({ documentId: e.documentId, quote: e.quote, confidence: e.confidence })),
        })),
      ),
      ...typed,
      ...(entity.synthetic ? { synthetic: true } : {}),
    },
  };
}

export function relationRow(relation: RelationWrite): RelationRow {
  return {
    id: relation.id,
    type: relation.type,
    source: relation.sourceId,
    target: relation.targetId,
    props: {
      id: relation.id,
      role: relation.role,
      share: relation.share,
      approximate: relation.approximate,
      pointInTime: relation.pointInTime,
      validFrom: relation.validFrom,
      validTo: relation.validTo,
      rank: relation.rank,
      modality: relation.modality,
      claimedBy: relation.claimedById,
      ...evidenceToStored(relation.evidence),
      deprecationReason: relation.deprecationReason ?? null,
      deprecatedAt: relation.deprecatedAt ?? null,
      supersededBy: relation.supersededById ?? null,
      ...(relation.synthetic ? { synthetic: true } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------------

/**
 * How a write meets a record with the same id: `upsert` makes it the row (MERGE), `create` refuses to
 * (CREATE): the unique constraint then fails the transaction, so that a writer that decided to create a
 * record, as ingestion does, learns that another got there first instead of overwriting it.
 */
export type WriteMode = 'upsert' | 'create';

const documentStatement = (mode: WriteMode) => `UNWIND $rows AS row
  ${mode === 'create' ? 'CREATE' : 'MERGE'} (d:Document {id: row.id})
  SET ${setEach('d', DOCUMENT_PROPERTIES)}
  RETURN count(d) AS written`;

/** Entity writes: MERGE (or CREATE) on the id (unique constraint), then every property, the kind's label and no other. */
export function entityStatement(kind: EntityKind, mode: WriteMode = 'upsert'): string {
  const label = TYPE_NAME_BY_KIND[kind];
  if (!KIND_LABELS.includes(label)) throw new GraphWriteError(`No label for entity kind ${kind}`);
  return `UNWIND $rows AS row
          ${mode === 'create' ? 'CREATE' : 'MERGE'} (e:Entity {id: row.id})
          SET ${setEach('e', ENTITY_PROPERTIES)}, e:${label}
          REMOVE e:${KIND_LABELS.filter((l) => l !== label).join(':')}
          RETURN count(e) AS written`;
}

/**
 * Fact writes are a MERGE on the id, anchored on both endpoints, done as three statements in one
 * transaction: look up which ids exist (one index lookup per batch: the ids, or their range when they are
 * consecutive), CREATE the facts that are missing, SET the ones found (after checking that their endpoints
 * are the same).
 *
 * Not `UNWIND $rows ... MERGE (a)-[r:T {id: row.id}]->(b)`: on 10,000-row batches Neo4j 5.26 sometimes
 * planned that MERGE's lookup, per row, as a scan of the whole relation-id index (when the sampled index
 * statistics said the index was empty), or as a seek that walks every fact already created in the same
 * transaction; one batch then took 100 to 200+ seconds instead of one. Here the lookup happens once per
 * batch, before the batch has written anything, and the writes look no relationship up.
 */
export function relationStatements(type: RelationType): { findIds: string; findRange: string; create: string; update: string } {
  if (!RELATION_TYPES.includes(type)) throw new GraphWriteError(`Relation type ${type} is not in the vocabulary`);
  const find = (where: string) => `MATCH (a)-[r:${type}]->(b) USING INDEX r:${type}(id)
           WHERE ${where}
           RETURN r.id AS id, elementId(r) AS elementId, a.id AS source, b.id AS target`;
  return {
    findIds: find('r.id IN $ids'),
    findRange: find('r.id >= $from AND r.id <= $to'),
    create: `UNWIND $rows AS row
             MATCH (a:Entity {id: row.source}) USING INDEX a:Entity(id)
             MATCH (b:Entity {id: row.target}) USING INDEX b:Entity(id)
             CREATE (a)-[r:${type} {id: row.id}]->(b)
             SET ${setEach('r', RELATION_PROPERTIES)}
             RETURN count(r) AS written`,
    // The same text for every type (an element id needs no type): one query plan instead of one per type.
    update: `UNWIND $rows AS row
             MATCH ()-[r]->() WHERE elementId(r) = row.elementId
             SET ${setEach('r', RELATION_PROPERTIES)}
             RETURN count(r) AS written`,
  };
}

// ---------------------------------------------------------------------------------------------------
// Writes: each returns how many rows it wrote, and throws rather than write fewer
// ---------------------------------------------------------------------------------------------------

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/** Two rows with one id in a batch would both be created, or overwrite each other: neither is meant. */
function requireUniqueIds(rows: readonly { id: string }[], what: string): void {
  const seen = new Set<string>();
  for (const { id } of rows) {
    if (seen.has(id)) throw new GraphWriteError(`${what} ${id} is given twice`);
    seen.add(id);
  }
}

async function run(tx: ManagedTransaction, statement: string, rows: readonly unknown[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await tx.run(statement, { rows });
  return integer.toNumber(result.records[0]?.get('written') ?? 0);
}

export async function writeDocuments(tx: ManagedTransaction, rows: readonly DocumentRow[], mode: WriteMode = 'upsert'): Promise<number> {
  requireUniqueIds(rows, 'document');
  return run(tx, documentStatement(mode), rows);
}

/** Writes entities, one statement per kind. */
export async function writeEntities(tx: ManagedTransaction, rows: readonly EntityRow[], mode: WriteMode = 'upsert'): Promise<number> {
  requireUniqueIds(rows, 'entity');
  let written = 0;
  for (const [kind, group] of groupBy(rows, (row) => row.props.kind)) written += await run(tx, entityStatement(kind, mode), group);
  return written;
}

export interface RelationWriteOptions {
  /**
   * Each type's ids are consecutive in sort order (as in a synthetic batch): the lookup reads one index
   * range instead of seeking every id.
   */
  consecutiveIds?: boolean;
  /**
   * The caller knows that none of these ids exists (a load into a graph that has none of its facts yet):
   * the lookup is skipped. A wrong promise duplicates facts.
   */
  knownEmpty?: boolean;
}

interface StoredEnds {
  id: string;
  elementId: string;
  source: string;
  target: string;
}

/** Writes facts, three statements per type (see `relationStatements`). */
export async function writeRelations(
  tx: ManagedTransaction,
  rows: readonly RelationRow[],
  options: RelationWriteOptions = {},
): Promise<number> {
  requireUniqueIds(rows, 'fact');
  let written = 0;
  for (const [type, group] of groupBy(rows, (row) => row.type)) written += await writeRelationsOfType(tx, type, group, options);
  return written;
}

async function writeRelationsOfType(
  tx: ManagedTransaction,
  type: RelationType,
  rows: readonly RelationRow[],
  { consecutiveIds = false, knownEmpty = false }: RelationWriteOptions,
): Promise<number> {
  const statements = relationStatements(type);
  const existing = new Map<string, StoredEnds>();
  if (!knownEmpty) {
    const ids = rows.map((row) => row.id);
    const sorted = consecutiveIds ? [...ids].sort() : [];
    const found = consecutiveIds
      ? await tx.run(statements.findRange, { from: sorted[0], to: sorted[sorted.length - 1] })
      : await tx.run(statements.findIds, { ids });
    for (const record of found.records) existing.set(record.get('id') as string, record.toObject() as StoredEnds);
  }
  const fresh: RelationRow[] = [];
  const known: (RelationRow & { elementId: string })[] = [];
  for (const row of rows) {
    const hit = existing.get(row.id);
    if (!hit) fresh.push(row);
    else if (hit.source === row.source && hit.target === row.target) known.push({ ...row, elementId: hit.elementId });
    else throw new GraphWriteError(`${type} ${row.id} exists between ${hit.source} and ${hit.target}, not ${row.source} and ${row.target}`);
  }
  const created = await run(tx, statements.create, fresh);
  if (created !== fresh.length) throw new GraphWriteError(await missingEndpoints(tx, type, fresh));
  const updated = await run(tx, statements.update, known);
  if (updated !== known.length) throw new GraphWriteError(`${known.length - updated} ${type} facts disappeared while being written`);
  return created + updated;
}

/** Which entities a batch of facts names but the graph lacks, said in a sentence (read only on failure). */
async function missingEndpoints(tx: ManagedTransaction, type: RelationType, rows: readonly RelationRow[]): Promise<string> {
  const result = await tx.run(
    `UNWIND $ids AS id
     WITH DISTINCT id WHERE NOT EXISTS { MATCH (:Entity {id: id}) }
     RETURN collect(id) AS missing`,
    { ids: rows.flatMap((row) => [row.source, row.target]) },
  );
  const missing = (result.records[0]?.get('missing') as string[] | undefined) ?? [];
  const named = missing.length > 10 ? `${missing.slice(0, 10).join(', ')} and ${missing.length - 10} more` : missing.join(', ');
  return `${type} facts name entities that do not exist: ${named}`;
}

/**
 * Gives every stored document the hash of its text (documents written before the hash existed have none),
 * so that ingesting a text again finds it. Returns how many documents it updated.
 */
export async function backfillTextHashes(tx: ManagedTransaction): Promise<number> {
  const missing = await tx.run('MATCH (d:Document) WHERE d.textHash IS NULL AND d.text IS NOT NULL RETURN d.id AS id, d.text AS text');
  const rows = missing.records.map((r) => ({ id: r.get('id') as string, textHash: textHashOf(r.get('text') as string) }));
  if (rows.length === 0) return 0;
  await tx.run('UNWIND $rows AS row MATCH (d:Document {id: row.id}) SET d.textHash = row.textHash', { rows });
  return rows.length;
}
