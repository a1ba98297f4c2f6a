/**
 * The reads and locks of a write transaction (src/ingest/): what exists already, taken in the caller's
 * transaction so that what it decides and what it writes see the same graph. Writes themselves go through
 * src/data/writer.ts; the change log through src/data/changes.ts.
 */
import { int, type ManagedTransaction } from 'neo4j-driver';
import type { EntityKind, RelationType } from '../generated/graphql';
import type { DocumentModel } from '../models/document';
import type { EntityModel } from '../models/entity';
import type { RelationModel } from '../models/relation';
import { ENTITY_SEARCH_INDEX } from '../db/schema';
import { documentFromProps } from './documents';
import { entityFromProps, RELATION_TYPES, relationFromProps, relationProjection, type Props } from './graph';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import { ALL_PROPERTIES } from '../models/plan';

async function rows<T>(tx: ManagedTransaction, cypher: string, params: Props = {}): Promise<T[]> {
  const result = await tx.run(cypher, params);
  return result.records.map((record) => record.toObject() as T);
}

/** Every stored property of a fact bound to `r`, its type and both ends' ids. */
const wholeFact = (r: string) => relationProjection(r, ALL_PROPERTIES);

function checkType(type: RelationType): RelationType {
  if (!RELATION_TYPES.includes(type)) throw new Error(`Relation type ${type} is not in the vocabulary`);
  return type;
}

/** The documents with this id or this text (by its hash): at most one each. */
export async function documentsByIdOrText(
  tx: ManagedTransaction,
  id: string | null,
  textHash: string,
): Promise<{ byId: (DocumentModel & { textHash: string | null }) | null; byText: DocumentModel | null }> {
  const found = await rows<{ d: Props }>(tx, 'MATCH (d:Document) WHERE d.id = $id OR d.textHash = $textHash RETURN d {.*} AS d', {
    id,
    textHash,
  });
  const byId = found.find((row) => row.d.id === id);
  const byText = found.find((row) => row.d.textHash === textHash);
  return {
    byId: byId ? { ...documentFromProps(byId.d), textHash: (byId.d.textHash as string | undefined) ?? null } : null,
    byText: byText ? documentFromProps(byText.d) : null,
  };
}

/**
 * The ids in use that equal a slug or extend it (`slug-2`, ...), among entities (and the ids merged
 * entities keep as redirects) or among documents: a new id is made unique against them.
 */
export async function idsTaken(tx: ManagedTransaction, of: 'entity' | 'document', slugs: readonly string[]): Promise<Set<string>> {
  if (slugs.length === 0) return new Set();
  const labels = of === 'entity' ? ['Entity', 'MergedEntity'] : ['Document'];
  const branches = labels.map(
    (label) => `UNWIND $slugs AS slug MATCH (n:${label}) WHERE n.id = slug OR n.id STARTS WITH slug + '-' RETURN n.id AS id`,
  );
  const found = await rows<{ id: string }>(tx, branches.join(' UNION '), { slugs: [...slugs] });
  return new Set(found.map((row) => row.id));
}

/**
 * Entities by id with every stored property, following redirects: an id merged into another entity
 * yields the kept one (`requested` is the id asked, `entity.id` the one found).
 */
export async function entitiesForWrite(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, EntityModel>> {
  if (ids.length === 0) return new Map();
  const found = await rows<{ requested: string; e: Props }>(
    tx,
    `UNWIND $ids AS requested
     OPTIONAL MATCH (m:MergedEntity {id: requested})
     WITH requested, coalesce(m.mergedInto, requested) AS id
     MATCH (e:Entity {id: id})
     RETURN requested, e {.*} AS e`,
    { ids: [...new Set(ids)] },
  );
  return new Map(found.map((row) => [row.requested, entityFromProps(row.e)]));
}

export interface NameQuery {
  /** Which name this is, to tell the answers apart. */
  key: number;
  /** A Lucene query over the `name` and `aliases` fields of the full-text index. */
  lucene: string;
  /** Only entities of these kinds; null for any kind. */
  kinds: EntityKind[] | null;
}

/** Candidate entities for each name from the full-text index (at most `limit` each), best first. */
export async function nameCandidates(tx: ManagedTransaction, queries: readonly NameQuery[], limit: number): Promise<Map<number, EntityModel[]>> {
  const byKey = new Map<number, EntityModel[]>(queries.map((q) => [q.key, []]));
  if (queries.length === 0) return byKey;
  const found = await rows<{ key: number; e: Props }>(
    tx,
    `UNWIND $queries AS q
     CALL {
       WITH q
       CALL db.index.fulltext.queryNodes($index, q.lucene) YIELD node, score
       WITH node, score WHERE q.kinds IS NULL OR node.kind IN q.kinds
       RETURN node ORDER BY score DESC LIMIT $limit
     }
     RETURN q.key AS key, node {.id, .kind, .name, .aliases} AS e`,
    { queries: queries.map((q) => ({ ...q })), index: ENTITY_SEARCH_INDEX, limit: int(limit) },
  );
  for (const row of found) byKey.get(row.key)?.push(entityFromProps(row.e));
  return byKey;
}

/**
 * Takes the write locks of these entities, in id order (so that two transactions never wait on each
 * other in a cycle), before their state is read for an update: what is read then stays what is written
 * over. Returns how many were locked: fewer means an entity went away (merged) since it was resolved.
 */
export async function lockEntities(tx: ManagedTransaction, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await rows<{ locked: number }>(
    tx,
    `UNWIND $ids AS id
     MATCH (e:Entity {id: id})
     WITH e ORDER BY e.id
     SET e._lock = true REMOVE e._lock
     RETURN count(e) AS locked`,
    { ids: [...new Set(ids)].sort() },
  );
  return row?.locked ?? 0;
}

/** The qualifiers that, with the type and both ends, make two facts the same fact. */
export interface FactKey {
  source: string;
  target: string;
  role: string | null;
  share: number | null;
  pointInTime: string | null;
  validFrom: string | null;
  validTo: string | null;
}

const SAME = (property: string) => `(r.${property} = row.${property} OR (r.${property} IS NULL AND row.${property} IS NULL))`;

/** Existing facts of one type equal to each key (`index` tells which), every stored property read. */
export async function factsByKey(tx: ManagedTransaction, type: RelationType, keys: readonly (FactKey & { index: number })[]) {
  if (keys.length === 0) return [];
  const found = await rows<{ index: number; r: Props }>(
    tx,
    `UNWIND $keys AS row
     MATCH (:Entity {id: row.source})-[r:${checkType(type)}]->(:Entity {id: row.target})
     WHERE ${['role', 'share', 'pointInTime', 'validFrom', 'validTo'].map(SAME).join(' AND ')}
     RETURN row.index AS index, ${wholeFact('r')} AS r ORDER BY r.id`,
    { keys: keys.map((k) => ({ ...k })) },
  );
  return found.map((row) => ({ index: row.index, relation: relationFromProps(row.r) }));
}

/** Facts by id with every stored property (one index seek per type). */
export async function factsForWrite(tx: ManagedTransaction, ids: readonly string[]): Promise<Map<string, RelationModel>> {
  if (ids.length === 0) return new Map();
  const byType = RELATION_TYPES.map((type) => `MATCH (:Entity)-[r:${type}]->(:Entity) WHERE r.id IN $ids RETURN ${wholeFact('r')} AS r`);
  const found = await rows<{ r: Props }>(tx, byType.join('\nUNION ALL\n'), { ids: [...new Set(ids)] });
  return new Map(found.map((row) => [row.r.id as string, relationFromProps(row.r)]));
}

/** Takes the write locks of these facts, in id order, before their state is read for an update. */
export async function lockFacts(tx: ManagedTransaction, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const byType = RELATION_TYPES.map(
    (type) => `MATCH (:Entity)-[r:${type}]->(:Entity) WHERE r.id IN $ids WITH r ORDER BY r.id SET r._lock = true REMOVE r._lock RETURN count(r) AS n`,
  );
  await tx.run(byType.join('\nUNION ALL\n'), { ids: [...new Set(ids)].sort() });
}

/** Every fact of an entity, both directions, with every stored property and its element id. */
export async function factsOfEntity(tx: ManagedTransaction, id: string): Promise<(RelationModel & { elementId: string })[]> {
  const found = await rows<{ r: Props; elementId: string }>(
    tx,
    `MATCH (:Entity {id: $id})-[r]-(:Entity) RETURN DISTINCT ${wholeFact('r')} AS r, elementId(r) AS elementId ORDER BY r.id`,
    { id },
  );
  return found.map((row) => ({ ...relationFromProps(row.r), elementId: row.elementId }));
}

/**
 * Removes relationships by element id: only to move a fact to another endpoint, where the caller writes
 * the same fact (same id, same properties) in the same transaction. Facts are never deleted otherwise.
 */
export async function removeForMove(tx: ManagedTransaction, elementIds: readonly string[]): Promise<number> {
  if (elementIds.length === 0) return 0;
  const [row] = await rows<{ removed: number }>(
    tx,
    'UNWIND $ids AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r RETURN count(*) AS removed',
    { ids: [...elementIds] },
  );
  return row?.removed ?? 0;
}

/** Facts (ids) and entities (ids) whose claims name this entity as the claimant. */
export async function claimsBy(tx: ManagedTransaction, id: string): Promise<{ facts: string[]; entities: string[] }> {
  const facts = await rows<{ id: string }>(
    tx,
    RELATION_TYPES.map((type) => `MATCH (:Entity)-[r:${type}]->(:Entity) WHERE r.claimedBy = $id RETURN r.id AS id`).join('\nUNION\n'),
    { id },
  );
  const entities = await rows<{ id: string }>(tx, 'MATCH (e:Entity) WHERE e.attributesJson CONTAINS $quoted RETURN e.id AS id', {
    quoted: JSON.stringify(id),
  });
  return { facts: facts.map((row) => row.id), entities: entities.map((row) => row.id) };
}

/**
 * Turns a merged entity into a redirect: it keeps its properties but loses the :Entity and kind labels,
 * so no query finds it, and `entity(id)` follows `mergedInto`. Redirects to it follow on to the kept one.
 */
export async function retireEntity(tx: ManagedTransaction, id: string, keptId: string, reason: string, at: string): Promise<void> {
  await tx.run(
    `MATCH (e:Entity {id: $id})
     REMOVE e:Entity:${Object.values(TYPE_NAME_BY_KIND).join(':')}
     SET e:MergedEntity, e.mergedInto = $keptId, e.mergeReason = $reason, e.mergedAt = $at
     WITH e
     OPTIONAL MATCH (earlier:MergedEntity {mergedInto: $id})
     SET earlier.mergedInto = $keptId`,
    { id, keptId, reason, at },
  );
}
