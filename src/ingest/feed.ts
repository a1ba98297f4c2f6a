/**
 * The live feed of the change log: every committed write's `Change`, to whoever listens (the
 * `changeAdded` subscription). In-process: each instance of the service tells its own listeners about
 * its own writes; the change log itself (`Query.changes`) is the shared, durable record.
 */
import type { ChangeModel } from '../models/change';
import { serviceUnavailable } from '../errors';

export type ChangeListener = (change: ChangeModel) => void;

/** Whether a listener wants a change; may read the graph (an entity's merges), so it may be async. */
export type ChangeTest = (change: ChangeModel) => boolean | Promise<boolean>;

/**
 * The changes committed since it was opened, in commit order, one `next()` at a time. `return()` stops
 * listening at once, even while a `next()` waits (an async generator would wait for the next change
 * first, and a closed connection could hold its listener forever).
 */
export interface ChangeStream extends AsyncIterableIterator<ChangeModel> {
  return(): Promise<IteratorResult<ChangeModel>>;
}

const DONE: IteratorResult<ChangeModel> = { done: true, value: undefined };

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

  /**
   * The changes that pass `wanted`, tested as they are read. A reader more than `maxBacklog` changes
   * behind is cut off: it reads what was queued, then an error that says how to catch up. Nothing is
   * dropped silently.
   */
  stream(maxBacklog: number, wanted: ChangeTest = () => true): ChangeStream {
    const queued: ChangeModel[] = [];
    let waiting: ((result: IteratorResult<ChangeModel>) => void) | null = null;
    let overflowed = false;
    let closed = false;
    const unsubscribe = this.subscribe((change) => {
      if (waiting) {
        const wake = waiting;
        waiting = null;
        wake({ done: false, value: change });
      } else if (queued.length < maxBacklog) {
        queued.push(change);
      } else {
        overflowed = true;
        unsubscribe();
      }
    });
    const close = async (): Promise<IteratorResult<ChangeModel>> => {
      closed = true;
      unsubscribe();
      queued.length = 0;
      waiting?.(DONE);
      waiting = null;
      return DONE;
    };
    const pull = (): Promise<IteratorResult<ChangeModel>> => {
      const change = queued.shift();
      if (change) return Promise.resolve({ done: false, value: change });
      if (closed) return Promise.resolve(DONE);
      if (overflowed) {
        closed = true;
        return Promise.reject(
          serviceUnavailable(
            `This subscription fell more than ${maxBacklog} changes behind and was ended. ` +
              'Read what it missed with `changes` (newest first), then subscribe again.',
          ),
        );
      }
      return new Promise((resolve) => (waiting = resolve));
    };
    return {
      async next() {
        try {
          for (;;) {
            const result = await pull();
            if (result.done || (await wanted(result.value))) return result;
          }
        } catch (error) {
          // A reader whose `next()` failed never calls `return()`: stop listening here.
          await close();
          throw error;
        }
      },
      return: close,
      async throw(error: unknown) {
        await close();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}
