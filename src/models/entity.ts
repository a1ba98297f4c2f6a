import type { EntityKind, Modality } from '../generated/graphql';
import type { EvidenceModel } from './evidence';
import type { RelationModel } from './relation';

/** A literal-valued fact about an entity (a proposal's term, an event's start date) with its provenance. */
export interface AttributeStatementModel {
  name: string;
  value: string | number | boolean;
  modality: Modality;
  claimedById: string | null;
  evidence: EvidenceModel[];
}

/**
 * Every entity kind shares one model: kind-specific values are optional and stay null for other kinds,
 * which keeps one loader and one Cypher projection for all of them.
 */
export interface EntityModel {
  id: string;
  kind: EntityKind;
  name: string;
  aliases: string[];
  description: string | null;
  evidence: EvidenceModel[];
  attributes: AttributeStatementModel[];
  // Proposal
  agreedShare: number | null;
  termYears: number | null;
  condition: string | null;
  status: string | null;
  // Event
  eventType: string | null;
  startDate: string | null;
  endDate: string | null;
  // Organization, Group
  reportedSize: string | null;
  minimumMemberCount: number | null;
  /**
   * Pages of facts (or of distinct neighbours) fetched along with the entity by look-ahead, by page id
   * (src/planner/load.ts): the fields they answer resolve from here without a loader or a promise.
   */
  prefetched?: Map<string, PrefetchedPage>;
}

export interface PrefetchedPage {
  items: RelationModel[] | EntityModel[];
  /** Every match, when it was counted. */
  total: number | null;
}
