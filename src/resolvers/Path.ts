import type { PathHopResolvers, PathResolvers } from '../generated/graphql';
import { requiredEntity } from './Relation';

export const Path: PathResolvers = {
  length: (path) => path.hops.length,
};

export const PathHop: PathHopResolvers = {
  from: (hop, _args, context) => requiredEntity(context, hop.fromId),
  to: (hop, _args, context) => requiredEntity(context, hop.toId),
};
