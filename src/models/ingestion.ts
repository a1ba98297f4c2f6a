import type { EntityOutcomeKind, MatchKind, RelationOutcomeKind } from '../generated/graphql';
import type { ChangeModel } from './change';
import type { DocumentModel } from './document';
import type { EntityModel } from './entity';
import type { RelationModel } from './relation';

export interface EntityOutcomeModel {
  ref: string;
  entity: EntityModel;
  outcome: EntityOutcomeKind;
  matchedBy: MatchKind | null;
}

export interface RelationOutcomeModel {
  /** With both ends set (`ends`), so that a dry run's new entities resolve without the database. */
  relation: RelationModel;
  outcome: RelationOutcomeKind;
}

/** What an ingestion did, or with `dryRun` would do. */
export interface IngestResultModel {
  document: DocumentModel;
  created: boolean;
  entities: EntityOutcomeModel[];
  relations: RelationOutcomeModel[];
  change: ChangeModel | null;
}

/** Words of a text that name known entities (or, with no ids, a capitalised phrase that names none). */
export interface MentionModel {
  /** `text.slice(start, end)`: UTF-16 offsets, end exclusive. */
  start: number;
  end: number;
  text: string;
  /** Every entity with this name or alias: one when resolved, several when ambiguous, none when unknown. */
  entityIds: string[];
}
