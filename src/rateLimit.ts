/**
 * A per-credential rate limit on mutations: each principal (an API key's name or a JWT's `sub`) may start
 * MUTATION_RATE_LIMIT mutations a minute. Past that, the mutation is refused before it runs with HTTP 429,
 * `Retry-After` in seconds, and the code RATE_LIMITED. Reads are not limited here (the operation limits
 * bound them), and a mutation without a credential is left to the authorization check, which refuses it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Principal } from './auth';

const WINDOW_SECONDS = 60;

function rateLimited(limit: number, retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(
    `Too many mutations: this credential may start ${limit} a minute (MUTATION_RATE_LIMIT); try again in ${retryAfterSeconds} s.`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds,
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    },
  );
}

export function mutationRateLimitPlugin<TContext extends { principal: Principal | null }>(perMinute: number): ApolloServerPlugin<TContext> {
  const limiter = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || contextValue.principal === null) return;
          try {
            await limiter.consume(contextValue.principal.name);
          } catch (refusal) {
            if (!(refusal instanceof RateLimiterRes)) throw refusal;
            throw rateLimited(perMinute, Math.max(1, Math.ceil(refusal.msBeforeNext / 1000)));
          }
        },
      };
    },
  };
}
