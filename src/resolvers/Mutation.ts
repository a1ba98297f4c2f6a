import type { MutationResolvers } from '../generated/graphql';
import type { Context } from '../context';
import { unauthenticated } from '../errors';
import type { IngestResultModel } from '../models/ingestion';

/** The caller, as the change log names it; the authorization plugin has already required an editor. */
function actorOf(context: Context): string {
  if (!context.principal) throw unauthenticated('Writes need a credential with the editor role.');
  return context.principal.name;
}

/** What an ingestion returned answers its own fields, even in a dry run where none of it is stored. */
function prime(context: Context, result: IngestResultModel): void {
  context.loaders.document.prime(result.document.id, result.document);
  for (const { entity } of result.entities) context.loaders.entity.clear(entity.id).prime(entity.id, entity);
  for (const { relation } of result.relations) {
    context.loaders.relation.clear(relation.id).prime(relation.id, relation);
    for (const end of [relation.ends?.source, relation.ends?.target]) if (end) context.loaders.entity.clear(end.id).prime(end.id, end);
  }
}

export const Mutation: MutationResolvers = {
  ingestDocument: async (_root, { input, dryRun }, context) => {
    const result = await context.services.ingestion.ingest(input, { dryRun: dryRun ?? false, actor: actorOf(context) });
    prime(context, result);
    return result;
  },
  deprecateRelation: (_root, { id, reason }, context) => context.services.corrections.deprecate(id, reason, actorOf(context)),
  supersedeRelation: (_root, { id, byId, reason }, context) => context.services.corrections.supersede(id, byId, reason, actorOf(context)),
  mergeEntities: (_root, { keepId, duplicateId, reason }, context) =>
    context.services.corrections.merge(keepId, duplicateId, reason, actorOf(context)),
};
