import type { EventResolvers } from '../generated/graphql';
import { precisionOf } from './Date';
import { entityFields, farEnds, neighborConnection, resolveEntityReference } from './entityFields';
import { LOCATION, PARTICIPANTS } from './relationFields';

export const Event: EventResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('EVENT'),
  precision: (event) => precisionOf(event.startDate ?? event.endDate),
  location: async (event, _args, context, info) => (await farEnds(context, info, event, LOCATION))[0] ?? null,
  participants: (event, args, context, info) => neighborConnection(context, info, event, PARTICIPANTS, args),
};
