import type { Modality, Rank, RelationType } from '../generated/graphql';
import type { EntityModel } from './entity';
import type { EvidenceModel } from './evidence';

/** A fact: one typed, directed Neo4j relationship between two entities, with its qualifiers. */
export interface RelationModel {
  id: string;
  type: RelationType;
  sourceId: string;
  targetId: string;
  role: string | null;
  share: number | null;
  approximate: boolean;
  pointInTime: string | null;
  validFrom: string | null;
  validTo: string | null;
  rank: Rank;
  modality: Modality;
  claimedById: string | null;
  evidence: EvidenceModel[];
  /** Why the fact was deprecated (see `deprecateRelation`), and when; null when it was not, or was ranked so in the seed. */
  deprecationReason: string | null;
  deprecatedAt: string | null;
  /** The fact that replaced this one (see `supersedeRelation`). */
  supersededById: string | null;
  /**
   * Both ends, when they were fetched along with the fact (look-ahead): `source` and `target` then
   * resolve without a loader, and without a promise, which graphql-js completes much faster.
   */
  ends?: { source: EntityModel; target: EntityModel };
}
