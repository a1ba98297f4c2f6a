import type { EvidenceResolvers } from '../generated/graphql';

/** A stored record without a value the writers always write: reported, never filled in with a made-up one. */
function stored<T>(value: T | null, what: string, documentId: string): T {
  if (value === null) throw new Error(`Stored evidence from document ${documentId} has no ${what}`);
  return value;
}

export const Evidence: EvidenceResolvers = {
  quote: (evidence) => stored(evidence.quote, 'quote', evidence.documentId),
  confidence: (evidence) => stored(evidence.confidence, 'confidence', evidence.documentId),
  document: async (evidence, _args, context) => {
    const document = await context.loaders.document.load(evidence.documentId);
    if (!document) throw new Error(`Evidence refers to missing document ${evidence.documentId}`);
    return document;
  },
};
