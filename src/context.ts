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

/**
 * A request's context. Most requests use only part of it (`{ __typename }` none, a mutation no loaders), so
 * the loaders, the request's child logger and its look-ahead are built on first use: the fixed cost of a
 * request stays what it needs (bench/README.md, the overhead row).
 */
class RequestContext implements Context {
  readonly db: RequestDb;
  private planner?: ReturnType<typeof createLoaders>;
  private requestLogger?: Logger;
  private requestLookahead?: Lookahead;

  constructor(
    client: Neo4jClient,
    private readonly serviceLogger: Logger,
    readonly requestId: string,
    readonly services: Services,
    private readonly options: ContextOptions,
  ) {
    this.db = new RequestDb(client, () => this.logger);
  }

  get principal(): Principal | null {
    return this.options.principal;
  }

  get logger(): Logger {
    return (this.requestLogger ??= this.serviceLogger.child({ requestId: this.requestId }));
  }

  get loaders(): PlannerContext['loaders'] {
    return (this.planner ??= createLoaders(this.db)).loaders;
  }

  get primer(): PlannerContext['primer'] {
    return (this.planner ??= createLoaders(this.db)).primer;
  }

  get lookahead(): Lookahead {
    return (this.requestLookahead ??= new Lookahead({ enabled: this.options.lookahead, plans: this.services.plans }));
  }

  /** Tests give a recording look-ahead. */
  set lookahead(lookahead: Lookahead) {
    this.requestLookahead = lookahead;
  }
}

export function createContext(
  client: Neo4jClient,
  logger: Logger,
  requestId: string,
  services: Services,
  options: ContextOptions = { lookahead: true, principal: null },
): Context {
  return new RequestContext(client, logger, requestId, services, options);
}
