/**
 * The rules every fact and piece of evidence obeys, however it enters the graph: the seed loader
 * (src/seed/validate.ts) and ingestion (src/ingest/validate.ts) both check them here, so there is one
 * definition of a valid fact.
 */
import { periodEndOf, periodStartOf } from './dates';

/** A problem with one field, named relative to the object checked (e.g. `share`, `evidence[1].quote`). */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface FactFields {
  type: string;
  /** Ids, when known; they are compared to refuse a fact from an entity to itself. */
  sourceId: string | null;
  targetId: string | null;
  share: number | null | undefined;
  pointInTime: string | null | undefined;
  validFrom: string | null | undefined;
  validTo: string | null | undefined;
  modality: string | null | undefined;
  /** Whether a claimant is given. */
  claimed: boolean;
}

export interface EvidenceFields {
  quote: string;
  confidence: number;
}

const inUnitInterval = (value: number) => Number.isFinite(value) && value >= 0 && value <= 1;

/** What is wrong with a fact's qualifiers. */
export function factProblems(fact: FactFields): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (fact.sourceId !== null && fact.sourceId === fact.targetId)
    problems.push({ field: 'target', message: 'is the same entity as the source' });
  if (fact.share !== null && fact.share !== undefined && !inUnitInterval(fact.share))
    problems.push({ field: 'share', message: 'must be between 0 and 1' });
  if (fact.type === 'CONTROLS' && (fact.share === null || fact.share === undefined))
    problems.push({ field: 'share', message: 'is required for CONTROLS' });
  if (fact.pointInTime && (fact.validFrom || fact.validTo)) {
    problems.push({ field: 'pointInTime', message: 'give pointInTime or validFrom/validTo, not both' });
  }
  if (fact.validFrom && fact.validTo && periodEndOf(fact.validTo) < periodStartOf(fact.validFrom)) {
    problems.push({ field: 'validTo', message: `is before validFrom (${fact.validFrom})` });
  }
  const claimedModality = fact.modality === 'CLAIMED';
  if (claimedModality && !fact.claimed) problems.push({ field: 'claimedBy', message: 'is required with modality CLAIMED' });
  if (!claimedModality && fact.claimed) problems.push({ field: 'claimedBy', message: 'is only for modality CLAIMED' });
  return problems;
}

/** What is wrong with a piece of evidence from `text`: the quote must be in it, character for character. */
export function evidenceProblems(evidence: EvidenceFields, text: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (evidence.quote.length === 0) problems.push({ field: 'quote', message: 'must not be empty' });
  else if (!text.includes(evidence.quote)) problems.push({ field: 'quote', message: 'is not an exact substring of the document text' });
  if (!inUnitInterval(evidence.confidence)) problems.push({ field: 'confidence', message: 'must be between 0 and 1' });
  return problems;
}
