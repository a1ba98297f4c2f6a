import type { EventResolvers } from '../generated/graphql';
import { precisionOf } from '../models/dates';
import { LOCATION, PARTICIPANTS, RELATIONS } from '../planner/catalogue';
import { farEnd, neighborConnection, relationConnection, resolveEntityReference } from '../planner/load';

export const Event: EventResolvers = {
  __resolveReference: resolveEntityReference('EVENT'),
  relations: (event, args, context, info) => relationConnection(context, info, event, RELATIONS, args),
  precision: (event) => precisionOf(event.startDate ?? event.endDate),
  location: (event, _args, context, info) => farEnd(context, info, event, LOCATION),
  participants: (event, args, context, info) => neighborConnection(context, info, event, PARTICIPANTS, args),
};
