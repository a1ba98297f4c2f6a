import type { EvidenceResolvers } from '../generated/graphql';

export const Evidence: EvidenceResolvers = {
  document: async (evidence, _args, context) => {
    const document = await context.loaders.document.load(evidence.documentId);
    if (!document) throw new Error(`Evidence refers to missing document ${evidence.documentId}`);
    return document;
  },
};
