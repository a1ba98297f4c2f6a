import type { Logger } from './logger';
import { RequestDb, type Neo4jClient } from './db/neo4jClient';
import { createLoaders, type PlannerContext } from './planner/load';
import { Lookahead, type PlanCache } from './planner/selection';

/** Everything a resolver sees of its request. */
export interface Context extends PlannerContext {
  requestId: string;
  logger: Logger;
}

export interface ContextOptions {
  /** Off: every field loads on its own and whole nodes are read, for comparing answers (tests). */
  lookahead: boolean;
  /** The server's shared plans; null shares nothing across requests. */
  plans: PlanCache | null;
}

export function createContext(
  client: Neo4jClient,
  logger: Logger,
  requestId: string,
  options: ContextOptions = { lookahead: true, plans: null },
): Context {
  const db = new RequestDb(client);
  const { loaders, primer } = createLoaders(db);
  return {
    requestId,
    logger: logger.child({ requestId }),
    db,
    loaders,
    primer,
    lookahead: new Lookahead({ enabled: options.lookahead, plans: options.plans }),
  };
}
