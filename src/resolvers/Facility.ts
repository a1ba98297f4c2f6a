import type { FacilityResolvers } from '../generated/graphql';
import { entityFields, farEnds, resolveEntityReference } from './entityFields';
import { LOCATION } from './relationFields';

export const Facility: FacilityResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('FACILITY'),
  location: async (facility, _args, context, info) => (await farEnds(context, info, facility, LOCATION))[0] ?? null,
};
