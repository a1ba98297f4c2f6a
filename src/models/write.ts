import type { DocumentModel } from './document';
import type { EntityModel } from './entity';
import type { RelationModel } from './relation';

interface WriteMarks {
  /** Load-test data (src/seed/synthetic): removable as a whole, never mixed up with real records. */
  synthetic?: true;
}

/**
 * What the graph writer (src/data/writer.ts) is given for a document, an entity or a fact: the record's
 * full state. Writing it makes the stored record exactly this, so a change (an alias added, evidence
 * appended) is written as the whole new state.
 */
export type DocumentWrite = DocumentModel & WriteMarks;

export type EntityWrite = Pick<EntityModel, 'id' | 'kind' | 'name' | 'aliases' | 'description' | 'evidence' | 'attributes'> & WriteMarks;

export type RelationWrite = Pick<
  RelationModel,
  | 'id'
  | 'type'
  | 'sourceId'
  | 'targetId'
  | 'role'
  | 'share'
  | 'approximate'
  | 'pointInTime'
  | 'validFrom'
  | 'validTo'
  | 'rank'
  | 'modality'
  | 'claimedById'
  | 'evidence'
> &
  Partial<Pick<RelationModel, 'deprecationReason' | 'deprecatedAt' | 'supersededById'>> &
  WriteMarks;
