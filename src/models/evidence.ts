/** One piece of provenance: which document, the exact supporting words, and how sure we are. */
export interface EvidenceModel {
  documentId: string;
  quote: string;
  confidence: number;
}
