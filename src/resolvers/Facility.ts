import type { FacilityResolvers } from '../generated/graphql';
import { entityFields, otherEnds, relationFilter, relationsOf, resolveEntityReference } from './entityFields';

export const Facility: FacilityResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('FACILITY'),
  location: async (facility, _args, context) =>
    (await otherEnds(context, facility.id, await relationsOf(context, facility.id, relationFilter(['LOCATED_IN'], 'OUTGOING'))))[0] ?? null,
};
