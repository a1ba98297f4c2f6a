import type { RegionResolvers } from '../generated/graphql';
import { entityFields, otherEnds, relationFilter, relationsOf, resolveEntityReference } from './entityFields';

export const Region: RegionResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('REGION'),
  control: (region, { asOf }, context) => relationsOf(context, region.id, relationFilter(['CONTROLS'], 'INCOMING', { asOf })),
  partOf: async (region, _args, context) =>
    otherEnds(context, region.id, await relationsOf(context, region.id, relationFilter(['PART_OF'], 'OUTGOING'))),
  parts: async (region, _args, context) =>
    otherEnds(context, region.id, await relationsOf(context, region.id, relationFilter(['PART_OF'], 'INCOMING'))),
};
