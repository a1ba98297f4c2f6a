/**
 * The live feed of the change log: every committed write's `Change`, to whoever listens (the
 * `changeAdded` subscription). In-process: each instance of the service tells its own listeners about
 * its own writes; the change log itself (`Query.changes`) is the shared, durable record.
 */
import type { ChangeModel } from '../models/change';

export type ChangeListener = (change: ChangeModel) => void;

export class ChangeFeed {
  private readonly listeners = new Set<ChangeListener>();

  publish(change: ChangeModel): void {
    for (const listener of this.listeners) listener(change);
  }

  /** Listens until the returned function is called. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
