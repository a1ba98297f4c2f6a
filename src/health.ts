import type { RequestHandler } from 'express';
import type { Neo4jClient } from './db/neo4jClient';
import { READINESS_TIMEOUT_MS } from './limits';

/**
 * GET /health/ready: 200 while the database answers, 503 with the reason while it does not. It answers within
 * READINESS_TIMEOUT_MS whatever the database does, and at once while the database is known to be down (the
 * breaker is open, or the embedded database is being restarted).
 */
export function readinessHandler(client: Neo4jClient): RequestHandler {
  return async (_req, res) => {
    const { up, reason, since } = await client.readiness(READINESS_TIMEOUT_MS);
    if (up) {
      res.json({ status: 'ready', neo4j: 'up' });
      return;
    }
    res.status(503).json({
      status: 'unavailable',
      neo4j: 'down',
      reason: reason ?? 'the database does not answer',
      ...(since !== undefined ? { since: new Date(since).toISOString() } : {}),
    });
  };
}
