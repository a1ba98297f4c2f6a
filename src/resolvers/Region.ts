import type { RegionResolvers } from '../generated/graphql';
import { entityFields, farEnds, relationsOf, resolveEntityReference } from './entityFields';
import { CONTROL, PART_OF, PARTS } from './relationFields';

export const Region: RegionResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('REGION'),
  control: (region, args, context, info) => relationsOf(context, info, region, CONTROL, args),
  partOf: (region, _args, context, info) => farEnds(context, info, region, PART_OF),
  parts: (region, _args, context, info) => farEnds(context, info, region, PARTS),
};
