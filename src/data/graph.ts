/**
 * How the graph is stored in Neo4j: the property layout of entities and facts, the patterns every query
 * over facts is written with, and reading both back as models. The other modules of src/data write their
 * Cypher with these; src/data/writer.ts writes the same layout.
 *
 * - An entity is a `(:Entity:<Kind>)` node with `id`, `kind`, `name`, `aliases`, `description`, its
 *   attribute statements as JSON (`attributesJson`) and each attribute's value as a property of its own.
 * - A fact is a relationship of its type with its qualifiers as properties.
 * - Neo4j properties cannot hold maps, so evidence is three parallel lists on the node or relationship it
 *   supports: `evidenceDocuments`, `evidenceQuotes`, `evidenceConfidences`.
 */
import { RelationType, type EntityKind, type Modality, type Rank } from '../generated/graphql';
import type { AttributeStatementModel, EntityModel } from '../models/entity';
import type { EvidenceModel } from '../models/evidence';
import type { PageMode, Projection } from '../models/plan';
import type { RelationFilter } from '../models/queries';
import type { RelationModel } from '../models/relation';
import { badUserInput } from '../errors';
import { asOfParams, heldAt } from './validTime';

export type Props = Record<string, unknown>;

export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

export interface StoredEvidence {
  evidenceDocuments: string[];
  evidenceQuotes: (string | null)[];
  evidenceConfidences: (number | null)[];
}

export function evidenceToStored(evidence: readonly EvidenceModel[]): StoredEvidence {
  return {
    evidenceDocuments: evidence.map((e) => e.documentId),
    evidenceQuotes: evidence.map((e) => e.quote),
    evidenceConfidences: evidence.map((e) => e.confidence),
  };
}

/** A quote or confidence missing from the stored lists stays null: the Evidence resolver reports it. */
export function evidenceFromStored(props: Partial<StoredEvidence>): EvidenceModel[] {
  const documents = props.evidenceDocuments ?? [];
  return documents.map((documentId, i) => ({
    documentId,
    quote: str(props.evidenceQuotes?.[i]),
    confidence: num(props.evidenceConfidences?.[i]),
  }));
}

export function entityFromProps(props: Props): EntityModel {
  return {
    id: props.id as string,
    kind: props.kind as EntityKind,
    name: props.name as string,
    aliases: (props.aliases as string[] | undefined) ?? [],
    description: str(props.description),
    evidence: evidenceFromStored(props),
    attributes: typeof props.attributesJson === 'string' ? (JSON.parse(props.attributesJson) as AttributeStatementModel[]) : [],
    agreedShare: num(props.agreedShare),
    termYears: num(props.termYears),
    condition: str(props.condition),
    status: str(props.status),
    eventType: str(props.eventType),
    startDate: str(props.startDate),
    endDate: str(props.endDate),
    reportedSize: str(props.reportedSize),
    minimumMemberCount: num(props.minimumMemberCount),
  };
}

/** Rank and modality have documented defaults (an unranked fact is NORMAL, an unqualified one ASSERTED). */
export function relationFromProps(props: Props): RelationModel {
  return {
    id: props.id as string,
    type: props.type as RelationType,
    sourceId: props.sourceId as string,
    targetId: props.targetId as string,
    role: str(props.role),
    share: num(props.share),
    approximate: props.approximate === true,
    pointInTime: str(props.pointInTime),
    validFrom: str(props.validFrom),
    validTo: str(props.validTo),
    rank: (str(props.rank) ?? 'NORMAL') as Rank,
    modality: (str(props.modality) ?? 'ASSERTED') as Modality,
    claimedById: str(props.claimedBy),
    evidence: evidenceFromStored(props),
    deprecationReason: str(props.deprecationReason),
    deprecatedAt: str(props.deprecatedAt),
    supersededById: str(props.supersededBy),
  };
}

/**
 * How a statement returns each entity it matches (bound to `e`): a Cypher map expression and the
 * parameters it reads. The planner's (src/planner/cypher.ts) also reads the pages a query selects.
 */
export interface EntityReturn {
  cypher: string;
  params: Props;
}

const ENTITY_KEYS = ['id', 'kind', 'name'];

const properties = (always: string[], chosen: readonly string[]) =>
  [...new Set([...always, ...chosen])].map((name) => `.${name}`).join(', ');

/** Cypher: the entity bound to `e` as a map of the projected properties (plus `extra` entries, e.g. `, pages: ...`). */
export function entityProjection(e: string, projection: Projection, extra = ''): string {
  return `${e} {${projection.entity === null ? '.*' : properties(ENTITY_KEYS, projection.entity)}${extra}}`;
}

/** Cypher: the fact bound to `r` as a map of the projected properties, its type and the ids of both ends. */
export function relationProjection(r: string, projection: Projection, extra = ''): string {
  const stored = projection.relation === null ? '.*' : properties(['id'], projection.relation);
  return `${r} {${stored}, type: type(${r}), sourceId: startNode(${r}).id, targetId: endNode(${r}).id${extra}}`;
}

/** Every relationship type the graph stores as a fact. Cypher only ever sees types from this list. */
export const RELATION_TYPES: readonly RelationType[] = Object.values(RelationType);

export function allowedRelationTypes(types: readonly string[] | null | undefined): RelationType[] {
  if (types === null || types === undefined) return [...RELATION_TYPES];
  for (const type of types) {
    if (!RELATION_TYPES.includes(type as RelationType)) throw badUserInput(`Unknown relation type "${type}".`, 'types');
  }
  return types as RelationType[];
}

/** The parameters `filterPredicate` reads, named after `prefix`. */
export function filterParams(filter: RelationFilter, prefix = ''): Record<string, unknown> {
  const values: Record<string, unknown> = { includeDeprecated: filter.includeDeprecated, ...asOfParams(filter.asOf) };
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${prefix}${name}`, value]));
}

/**
 * The relationship part `r:T1|T2` of a pattern over facts. Types (from the allow-list only) are spliced in
 * so that Neo4j expands just those relationships: with `type(r) IN $types` it walked every fact of the
 * anchor, which on an entity with thousands of facts cost 100,000s of db hits to find its few CONTROLS
 * facts (see bench/README.md). Only facts link entities, so every type is any relationship, which also
 * spares the planner a 35-way type union.
 */
export function factRelationship(r: string, types: readonly RelationType[]): string {
  for (const type of types) {
    if (!RELATION_TYPES.includes(type)) throw new Error(`Relation type ${type} is not in the vocabulary`);
  }
  if (RELATION_TYPES.every((type) => types.includes(type))) return r;
  // An empty type list matches nothing; a type name no relationship has keeps the pattern valid.
  return `${r}:${types.length > 0 ? types.join('|') : 'NO_RELATION_TYPE'}`;
}

/** The pattern `(anchor)-[r:T1|T2]->(other:Entity)` of a RelationFilter, direction spliced in too. */
export function factPattern(anchor: string, r: string, other: string, filter: RelationFilter): string {
  const [left, right] = filter.direction === 'OUTGOING' ? ['-', '->'] : filter.direction === 'INCOMING' ? ['<-', '-'] : ['-', '-'];
  return `(${anchor})${left}[${factRelationship(r, filter.types)}]${right}(${other}:Entity)`;
}

/**
 * The rest of a RelationFilter on a bound `r` between `anchor` and `other`; values stay parameters. The
 * valid-time test (with its subquery) is only written when a date is asked: each variant is planned once.
 */
export function filterPredicate(filter: RelationFilter, anchor: string, r: string, other: string, prefix = ''): string {
  const shown = `($${prefix}includeDeprecated OR coalesce(${r}.rank, 'NORMAL') <> 'DEPRECATED')`;
  return filter.asOf === null ? shown : `${shown} AND ${heldAt(r, anchor, other, prefix)}`;
}

/** Cypher: `MATCH` and `WHERE` of the filter's facts from `anchor`, parameter names after `prefix`. */
export const factMatch = (anchor: string, r: string, other: string, filter: RelationFilter, prefix = '') =>
  `MATCH ${factPattern(anchor, r, other, filter)} WHERE ${filterPredicate(filter, anchor, r, other, prefix)}`;

/** Cypher: how many facts the match finds, or how many distinct far-end entities. */
export const countOf = (mode: PageMode, match: string, other: string) =>
  mode === 'relations' ? `COUNT { ${match} }` : `COUNT { ${match} RETURN DISTINCT ${other} }`;
