import type { ChangeResolvers } from '../generated/graphql';
import { changesByIds } from '../data/changes';
import type { EntityModel } from '../models/entity';
import type { RelationModel } from '../models/relation';

const present = <T>(items: readonly (T | null | Error)[]): T[] =>
  items.filter((item): item is T => item !== null && !(item instanceof Error));

export const Change: ChangeResolvers = {
  __resolveReference: async (reference, context) => (await changesByIds(context.db, [reference.id]))[0] ?? null,
  document: (change, _args, context) => (change.documentId ? context.loaders.document.load(change.documentId) : null),
  // An entity merged away since resolves to the one kept (the loader follows redirects): listed once.
  entities: async (change, _args, context) => {
    const found = present<EntityModel>(await context.loaders.entity.loadMany(change.entityIds));
    return [...new Map(found.map((e) => [e.id, e])).values()];
  },
  relations: async (change, _args, context) => present<RelationModel>(await context.loaders.relation.loadMany(change.relationIds)),
};
