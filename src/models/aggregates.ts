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
