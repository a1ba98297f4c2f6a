import type { ChangeOperation } from '../generated/graphql';

/** One write, as the append-only change log keeps it (a `(:Change)` node). */
export interface ChangeModel {
  id: string;
  /** ISO 8601, UTC, millisecond precision: sorts as it reads. */
  at: string;
  operation: ChangeOperation;
  actor: string;
  documentId: string | null;
  /** The entities written or matched, and both ends of every fact touched: what `changes(entityId)` finds it by. */
  entityIds: string[];
  relationIds: string[];
  summary: string;
}
