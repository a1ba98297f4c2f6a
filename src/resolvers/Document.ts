import type { DocumentResolvers } from '../generated/graphql';

export const Document: DocumentResolvers = {
  __resolveReference: (reference, context) => context.loaders.document.load(reference.id),
};
