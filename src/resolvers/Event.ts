import type { EventResolvers } from '../generated/graphql';
import { pageRequest, toConnection } from '../pagination';
import { precisionOf } from './Date';
import { entityFields, otherEnds, relationFilter, relationsOf, resolveEntityReference } from './entityFields';

/** The facts that make an actor a participant of an event. */
const PARTICIPATION = relationFilter(['PARTICIPATES_IN', 'HOSTS', 'MEDIATES', 'CARRIED_OUT'], 'INCOMING');

export const Event: EventResolvers = {
  ...entityFields,
  __resolveReference: resolveEntityReference('EVENT'),
  precision: (event) => precisionOf(event.startDate ?? event.endDate),
  location: async (event, _args, context) =>
    (await otherEnds(context, event.id, await relationsOf(context, event.id, relationFilter(['LOCATED_IN'], 'OUTGOING'))))[0] ?? null,
  participants: async (event, args, context) => {
    const page = pageRequest('entity', args);
    const fetched = await context.loaders.neighborPage.load({
      id: event.id,
      group: { filter: PARTICIPATION, page: { limit: page.first + 1, afterKey: page.afterKey } },
    });
    return toConnection('entity', fetched, page.first, (e) => e.id, () => context.loaders.neighborCount.load({ id: event.id, group: PARTICIPATION }));
  },
};
