import { int } from 'neo4j-driver';
import type { EntityKind } from '../generated/graphql';
import type { CoOccurrenceModel, DegreeRankModel, GraphStatsModel } from '../models/aggregates';
import { TYPE_NAME_BY_KIND } from '../models/kinds';
import type { RequestDb } from '../db/neo4jClient';
import { RELATION_TYPES, entityFromProps, entityProjection, type Props } from './graph';

const KINDS = Object.keys(TYPE_NAME_BY_KIND) as EntityKind[];

const byCountThenName = <T extends { count: number }>(key: (item: T) => string) => (a: T, b: T) => b.count - a.count || key(a).localeCompare(key(b));

/**
 * One round trip of label and type counts, which Neo4j answers from its count store rather than by
 * scanning. Labels and types are spliced in from the allow-lists, never from input.
 */
export async function graphStats(db: RequestDb): Promise<GraphStatsModel> {
  const kindCounts = KINDS.map((kind) => `${kind}: COUNT { MATCH (:${TYPE_NAME_BY_KIND[kind]}) }`).join(', ');
  const typeCounts = RELATION_TYPES.map((type) => `${type}: COUNT { MATCH ()-[:${type}]->() }`).join(', ');
  const [row] = await db.read<{ kinds: Record<string, number>; types: Record<string, number>; documents: number }>(
    `RETURN {${kindCounts}} AS kinds, {${typeCounts}} AS types, COUNT { MATCH (:Document) } AS documents`,
  );
  const entitiesByKind = KINDS.map((kind) => ({ kind, count: row?.kinds[kind] ?? 0 })).sort(byCountThenName((k) => k.kind));
  const relationsByType = RELATION_TYPES.map((type) => ({ type, count: row?.types[type] ?? 0 })).sort(byCountThenName((t) => t.type));
  return {
    entitiesByKind,
    relationsByType,
    entityCount: entitiesByKind.reduce((sum, k) => sum + k.count, 0),
    relationCount: relationsByType.reduce((sum, t) => sum + t.count, 0),
    documentCount: row?.documents ?? 0,
  };
}

/** Degree ranking; only facts link entities, so a node's degree is its number of facts. */
export async function mostConnected(db: RequestDb, kind: EntityKind | null, first: number): Promise<DegreeRankModel[]> {
  const label = kind ? TYPE_NAME_BY_KIND[kind] : 'Entity';
  const rows = await db.read<{ e: Props; degree: number }>(
    `MATCH (e:${label})
     WITH e, COUNT { (e)--() } AS degree
     ORDER BY degree DESC, e.id
     LIMIT $first
     RETURN ${entityProjection('e', db.projection)} AS e, degree`,
    { first: int(first) },
  );
  return rows.map((row) => ({ entity: entityFromProps(row.e), degree: row.degree }));
}

/** The entities that share the most events (linked to both) and documents (mentioning both) with one. */
export async function coOccurrence(db: RequestDb, id: string, first: number): Promise<CoOccurrenceModel[]> {
  const rows = await db.read<{ e: Props; sharedEvents: number; sharedDocuments: number }>(
    `MATCH (x:Entity {id: $id})
     CALL {
       WITH x
       MATCH (x)--(ev:Event)--(o:Entity) WHERE o <> x
       RETURN o, count(DISTINCT ev) AS sharedEvents, 0 AS sharedDocuments
       UNION ALL
       WITH x
       UNWIND x.evidenceDocuments AS documentId
       WITH DISTINCT x, documentId
       MATCH (o:Entity) WHERE o <> x AND documentId IN o.evidenceDocuments
       RETURN o, 0 AS sharedEvents, count(*) AS sharedDocuments
     }
     WITH o AS e, sum(sharedEvents) AS sharedEvents, sum(sharedDocuments) AS sharedDocuments
     ORDER BY sharedEvents + sharedDocuments DESC, e.id
     LIMIT $first
     RETURN ${entityProjection('e', db.projection)} AS e, sharedEvents, sharedDocuments`,
    { id, first: int(first) },
  );
  return rows.map((row) => ({
    entity: entityFromProps(row.e),
    sharedEvents: row.sharedEvents,
    sharedDocuments: row.sharedDocuments,
    count: row.sharedEvents + row.sharedDocuments,
  }));
}
