import type { RegionResolvers } from '../generated/graphql';
import { CONTROL, PART_OF, PARTS, RELATIONS } from '../planner/catalogue';
import { farEnds, relationConnection, relationsOf, resolveEntityReference } from '../planner/load';

export const Region: RegionResolvers = {
  __resolveReference: resolveEntityReference('REGION'),
  relations: (region, args, context, info) => relationConnection(context, info, region, RELATIONS, args),
  control: (region, args, context, info) => relationsOf(context, info, region, CONTROL, args),
  partOf: (region, _args, context, info) => farEnds(context, info, region, PART_OF),
  parts: (region, _args, context, info) => farEnds(context, info, region, PARTS),
};
