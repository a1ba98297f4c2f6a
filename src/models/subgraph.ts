import type { EntityModel } from './entity';
import type { RelationModel } from './relation';

/** The entities around a centre and the facts among them. */
export interface SubgraphModel {
  nodes: EntityModel[];
  relations: RelationModel[];
  truncated: boolean;
}
