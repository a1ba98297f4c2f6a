import type { SubscriptionResolvers } from '../generated/graphql';
import { entityAndMergedIds } from '../data/changes';
import { SUBSCRIPTIONS } from '../limits';
import type { ChangeModel } from '../models/change';

export const Subscription: SubscriptionResolvers = {
  changeAdded: {
    subscribe: async (_root, { entityId }, context) => {
      const { changes } = context.services;
      if (!entityId) return changes.stream(SUBSCRIPTIONS.backlog);
      const idsNaming = async () => new Set(await entityAndMergedIds(context.db, entityId));
      let watched: Promise<Set<string>>;
      // Listening starts before the entity's ids are read, so a change committed meanwhile is queued, not missed.
      const stream = changes.stream(SUBSCRIPTIONS.backlog, async (change) => {
        const ids = await watched;
        if (!change.entityIds.some((id) => ids.has(id))) return false;
        // A merge into the watched entity (or of it into another) changes which ids name it from now on.
        if (change.operation === 'MERGE_ENTITIES') watched = idsNaming();
        return true;
      });
      watched = idsNaming();
      try {
        await watched;
      } catch (error) {
        await stream.return();
        throw error;
      }
      return stream;
    },
    resolve: (change: ChangeModel) => change,
  },
};
