/**
 * Whole-response caching (RESPONSE_CACHE=true): Apollo's response cache plugin keeps the answer of a query
 * in an in-memory LRU, bounded in bytes, for the maxAge its `@cacheControl` hints give it (the least of
 * every field's, worked out per operation by src/cachePolicy.ts; a field without a hint that returns an
 * object has maxAge 0, and then nothing is kept). Mutations and answers with errors are never kept. Answers do
 * not depend on who asks, so callers share them; authentication and authorization still run first, since
 * the plugin answers from the cache only after every plugin's `didResolveOperation`.
 *
 * Invalidation: every write committed by this process empties the cache (the change feed publishes after
 * commit), and the graph's version (src/data/changes.ts `graphVersion`) is read every RESPONSE_CACHE_POLL_MS
 * so that writes by other processes (another replica, the seed loader) empty it too. Each emptying starts a
 * new generation, which is part of every cache key and is read before the operation executes: an answer
 * read across a write belongs to the old generation, is not stored, and could not be found if it were.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache, type KeyValueCache, type KeyValueCacheSetOptions } from '@apollo/utils.keyvaluecache';
import type { Config } from './config';
import { graphVersion } from './data/changes';
import type { Neo4jClient } from './db/neo4jClient';
import type { ChangeFeed } from './ingest/feed';
import type { Logger } from './logger';

/** The cached answers of one server, and the generation that each emptying starts. */
export class ResponseCache implements KeyValueCache<string> {
  private readonly entries: InMemoryLRUCache<string>;
  private current = 0;

  constructor(maxBytes: number) {
    this.entries = new InMemoryLRUCache<string>({
      maxSize: maxBytes,
      sizeCalculation: (value: string, key: string) => Buffer.byteLength(value, 'utf8') + key.length,
    });
  }

  /** Moves on each time the graph may have changed; an answer read in an older generation is stale. */
  get generation(): number {
    return this.current;
  }

  /** Forgets every answer; those being computed belong to the generation that has just ended. */
  invalidate(): void {
    this.current += 1;
    this.entries.clear();
  }

  get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    return this.entries.set(key, value, options);
  }

  delete(key: string): Promise<boolean> {
    return this.entries.delete(key);
  }
}

export interface ResponseCacheDeps {
  /** Off when not given. */
  settings: Config['responseCache'] | undefined;
  client: Neo4jClient;
  /** This process's committed writes. */
  changes: ChangeFeed;
  logger: Logger;
}

/** The plugins that cache whole responses, or none when the cache is off (then nothing is polled either). */
export function responseCachePlugins<C extends BaseContext>({
  settings,
  client,
  changes,
  logger,
}: ResponseCacheDeps): ApolloServerPlugin<C>[] {
  if (!settings?.enabled) return [];
  const cache = new ResponseCache(settings.maxBytes);
  const generationOf = new WeakMap<C, number>();
  return [
    responseCachePlugin<C>({
      cache,
      // Called once per query, before it executes (and before the cache is read): everything the answer
      // reads from the graph is read after this generation began.
      extraCacheKeyData: async ({ contextValue }) => {
        generationOf.set(contextValue, cache.generation);
        return { generation: cache.generation };
      },
      shouldWriteToCache: async ({ contextValue }) => generationOf.get(contextValue) === cache.generation,
    }),
    invalidationPlugin<C>(cache, { client, changes, logger, pollMs: settings.pollMs }),
  ];
}

/** Empties the cache on each write of this process, and when a poll sees the graph's version move. */
function invalidationPlugin<C extends BaseContext>(
  cache: ResponseCache,
  { client, changes, logger, pollMs }: Omit<ResponseCacheDeps, 'settings'> & { pollMs: number },
): ApolloServerPlugin<C> {
  return {
    async serverWillStart() {
      const unsubscribe = changes.subscribe(() => cache.invalidate());
      let seen: string | undefined;
      let polling = false;
      const poll = async () => {
        if (polling) return;
        polling = true;
        try {
          const version = await graphVersion(client);
          if (seen !== undefined && version !== seen) {
            cache.invalidate();
            logger.debug({ generation: cache.generation }, 'the graph changed: response cache emptied');
          }
          seen = version;
        } catch (error) {
          // Unreadable while the database is down; the next poll that reads it compares with the last seen.
          logger.debug({ err: error }, 'could not read the graph version for the response cache');
        } finally {
          polling = false;
        }
      };
      void poll();
      const timer = setInterval(() => void poll(), pollMs);
      timer.unref();
      return {
        async serverWillStop() {
          clearInterval(timer);
          unsubscribe();
        },
      };
    },
  };
}
