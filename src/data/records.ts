/**
 * How entities and facts are stored, read by Cypher and turned back into models: the one place that knows
 * the property layout. (src/data/writer.ts writes the same layout.)
 *
 * - An entity is a `(:Entity:<Kind>)` node with `id`, `kind`, `name`, `aliases`, `description`, its
 *   attribute statements as JSON (`attributesJson`) and each attribute's value as a property of its own.
 * - A fact is a relationship of its type with its qualifiers as properties.
 * - Neo4j properties cannot hold maps, so evidence is three parallel lists on the node or relationship it
 *   supports: `evidenceDocuments`, `evidenceQuotes`, `evidenceConfidences`.
 */
import type { EntityKind, Modality, Rank, RelationType } from '../generated/graphql';
import type { AttributeStatementModel, EntityModel } from '../models/entity';
import type { EvidenceModel } from '../models/evidence';
import type { Projection } from '../models/plan';
import type { RelationModel } from '../models/relation';

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
