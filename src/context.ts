import type { Logger } from './logger';
import type { Principal } from './auth';
import { RequestDb, type Neo4jClient } from './db/neo4jClient';
import { Corrections } from './ingest/corrections';
import { ChangeFeed } from './ingest/feed';
import { Ingestion, type IngestionOptions } from './ingest/ingest';
import { MentionDictionary } from './ingest/mentions';
import type { IngestLimits } from './limits';
import { createLoaders, type PlannerContext } from './planner/load';
import { Lookahead, PlanCache } from './planner/selection';

/** What one server shares across its requests. */
export interface Services {
  /** Look-ahead plans shared across requests of the same operation and variables. */
  plans: PlanCache;
  /** The automaton of the graph's names, for `suggestEntities`. */
  mentions: MentionDictionary;
  ingestion: Ingestion;
  corrections: Corrections;
  /** Every committed write's change, for live listeners. */
  changes: ChangeFeed;
  limits: IngestLimits;
}

export function createServices(
  client: Neo4jClient,
  limits: IngestLimits,
  options: Pick<IngestionOptions, 'faultInjection'> = {},
): Services {
  const changes = new ChangeFeed();
  const onChange = (change: Parameters<ChangeFeed['publish']>[0]) => changes.publish(change);
  return {
    plans: new PlanCache(),
    mentions: new MentionDictionary(),
    ingestion: new Ingestion(client, { limits, onChange, ...options }),
    corrections: new Corrections(client, { onChange }),
    changes,
    limits,
  };
}

/** Everything a resolver sees of its request. */
export interface Context extends PlannerContext {
  requestId: string;
  logger: Logger;
  /** Who is calling: null without a credential (src/auth.ts). */
  principal: Principal | null;
  services: Services;
}

export interface ContextOptions {
  /** Off: every field loads on its own and whole nodes are read, for comparing answers (tests). */
  lookahead: boolean;
  principal: Principal | null;
}

export function createContext(
  client: Neo4jClient,
  logger: Logger,
  requestId: string,
  services: Services,
  options: ContextOptions = { lookahead: true, principal: null },
): Context {
  const db = new RequestDb(client);
  const { loaders, primer } = createLoaders(db);
  return {
    requestId,
    logger: logger.child({ requestId }),
    db,
    loaders,
    primer,
    lookahead: new Lookahead({ enabled: options.lookahead, plans: services.plans }),
    principal: options.principal,
    services,
  };
}
