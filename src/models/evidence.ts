/** One piece of provenance: which document, the exact supporting words, and how sure we are. */
export interface EvidenceModel {
  documentId: string;
  /**
   * Null only when a stored record lacks it (the graph's writers never write one so): the Evidence
   * resolver then reports an error instead of inventing a quote or a confidence.
   */
  quote: string | null;
  confidence: number | null;
}
