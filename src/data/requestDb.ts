import { type Neo4jClient, QueryCounter, type Params } from '../db/neo4jClient';
import type { RecordShape } from 'neo4j-driver';
import { ALL_PROPERTIES, type Projection } from './projection';

/** The database as one request sees it: every read is counted against that request. */
export class RequestDb {
  readonly counter = new QueryCounter();
  /** The properties this request reads of entities and facts; set once the operation is known. */
  projection: Projection = ALL_PROPERTIES;

  constructor(private readonly client: Neo4jClient) {}

  read<T extends RecordShape = RecordShape>(cypher: string, params: Params = {}): Promise<T[]> {
    return this.client.read<T>(cypher, params, this.counter);
  }
}
