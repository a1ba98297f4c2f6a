import type { EntityModel } from './entity';
import type { RelationModel } from './relation';

/** One step along a path, walked forward (source to target) or backward. */
export interface PathHopModel {
  relation: RelationModel;
  fromId: string;
  toId: string;
  forward: boolean;
}

export interface PathModel {
  nodes: EntityModel[];
  hops: PathHopModel[];
}
