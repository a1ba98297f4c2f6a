import type { EvidenceModel } from '../models/evidence';

/**
 * Neo4j properties cannot hold maps, so evidence is stored as three parallel lists on the node or
 * relationship that it supports. These two functions are the only places that know that layout.
 */
export interface StoredEvidence {
  evidenceDocuments: string[];
  evidenceQuotes: string[];
  evidenceConfidences: number[];
}

export function evidenceToStored(evidence: EvidenceModel[]): StoredEvidence {
  return {
    evidenceDocuments: evidence.map((e) => e.documentId),
    evidenceQuotes: evidence.map((e) => e.quote),
    evidenceConfidences: evidence.map((e) => e.confidence),
  };
}

export function evidenceFromStored(props: Partial<StoredEvidence>): EvidenceModel[] {
  const documents = props.evidenceDocuments ?? [];
  return documents.map((documentId, i) => ({
    documentId,
    quote: props.evidenceQuotes?.[i] ?? '',
    confidence: props.evidenceConfidences?.[i] ?? 0,
  }));
}

export type Props = Record<string, unknown>;

export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);
