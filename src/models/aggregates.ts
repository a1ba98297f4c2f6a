import type { EntityKind, RelationType } from '../generated/graphql';
import type { EntityModel } from './entity';

export interface DegreeRankModel {
  entity: EntityModel;
  degree: number;
}

export interface CoOccurrenceModel {
  entity: EntityModel;
  sharedEvents: number;
  sharedDocuments: number;
  count: number;
}

export interface SearchHitModel {
  entity: EntityModel;
  score: number;
}

/** Headline counts of the whole graph. */
export interface GraphStatsModel {
  entitiesByKind: { kind: EntityKind; count: number }[];
  relationsByType: { type: RelationType; count: number }[];
  entityCount: number;
  relationCount: number;
  documentCount: number;
}
